/// @file snap_descriptor.h
/// SNAP descriptor parameters and the index / coefficient tables the point kernels read
/// (kernels/point/snap_kernels.hpp). Tables are flat std::vectors; SnapDescriptor::view() returns raw
/// pointers to them, so a Kokkos port can deep-copy each vector to a device View and build the same
/// view struct from the device pointers.
#pragma once

#include "kernels/point/snap_kernels.hpp"

#include <string>
#include <vector>

namespace reval {

/// The descriptor half of a SNAP potential: everything that defines B_i, shared by every model
/// (linear, quadratic, NN) and by every member of a committee. Defaults are those of LAMMPS 29Sep2021.
struct SnapParams {
  double rcutfac = 0.0;      ///< cutoff scale: rcut_ij = (radelem_i + radelem_j) * rcutfac (Å per unit radius)
  int twojmax = 0;           ///< 2 J_max (band limit of the bispectrum)
  double rfac0 = 0.99363;    ///< theta0 = (r - rmin0) * rfac0 * pi / (rcut - rmin0)
  double rmin0 = 0.0;        ///< inner radius of the angular mapping and switching function (Å)
  int switchflag = 1;        ///< 1: cosine switching function between rmin0 and rcut; 0: none
  /// 1: inner switching function (LAMMPS 2022+; not in LAMMPS 29Sep2021): the neighbour weight also
  /// goes from 0 at sinner - dinner to 1 at sinner + dinner, sinner and dinner of a pair being the
  /// means of its elements' sinnerelem / dinnerelem (kernels::snap_sfac_inner).
  int switchinnerflag = 0;
  int bzeroflag = 1;         ///< 1: subtract B of an isolated atom
  int chemflag = 0;          ///< 1: explicit multi-element SNAP (B per element triple)
  int bnormflag = 0;         ///< 1: normalise Z (and bzero) by 1/(j+1) as LAMMPS does for chemflag
  int wselfallflag = 0;      ///< 1: self weight on the diagonal of every element channel
  std::vector<std::string> elements;    ///< element names; the element index is the position here
  std::vector<double> radelem;          ///< per element radius (dimensionless, times rcutfac = Å)
  std::vector<double> wjelem;           ///< per element neighbour weight (dimensionless)
  std::vector<double> sinnerelem;       ///< per element inner switching centre (Å); only with switchinnerflag, else empty
  std::vector<double> dinnerelem;       ///< per element inner switching half width (Å, > 0); likewise

  int nelements() const { return static_cast<int>(elements.size()); }
  /// Pair cutoff rcut_ij (Å) as LAMMPS pair snap / pair mliap compute it.
  double cutoff(int ielem, int jelem) const { return kernels::snap_pair_cutoff(radelem[ielem], radelem[jelem], rcutfac); }
  /// Largest pair cutoff (Å).
  double max_cutoff() const;
  /// Number of descriptors (bispectrum components) per atom, as LAMMPS' SNA::ncoeff.
  int ncoeff() const;
  /// Throws reval::Error (prefixed with `where`) if a value is out of range or the per-element
  /// lists are inconsistent: rcutfac > 0, 0 <= twojmax <= 30, 0 < rfac0 <= 1, 0 <= rmin0 < every
  /// rcut_ij, flags 0/1, at least one element, radii > 0, all values finite, unique names, at most
  /// kMaxSnapDescriptors descriptors (chemflag with many elements); with switchinnerflag one sinner
  /// and one dinner (> 0) per element, without it none.
  void validate(const std::string &where) const;
  /// Empty if `other` defines the same descriptor (exactly equal values and element lists), else
  /// a sentence naming the first difference, e.g. "rcutfac differs: 4.9 vs 4.8".
  std::string difference(const SnapParams &other) const;
};

/// Largest number of descriptors per atom SnapParams::validate accepts (chemflag: per triple x nelements^3).
constexpr long long kMaxSnapDescriptors = 10000000;

/// Number of bispectrum components per element triple for twojmax (LAMMPS' SNA::compute_ncoeff).
int snap_ncoeff_per_triple(int twojmax);

/// Index tables, Clebsch-Gordan coefficients and sqrt table of one SnapParams. Immutable once built;
/// share one instance between all engines (threads).
class SnapDescriptor {
 public:
  /// Builds the tables; validates `params` first (throws reval::Error).
  explicit SnapDescriptor(const SnapParams &params);
  SnapDescriptor(const SnapDescriptor &) = delete;    // the view points into this object
  SnapDescriptor &operator=(const SnapDescriptor &) = delete;

  const SnapParams &params() const { return m_params; }
  int ncoeff() const { return m_view.ncoeff; }
  int nchannels() const { return m_view.nchannels; }
  int idxu_max() const { return m_view.idxu_max; }
  int idxz_max() const { return m_view.idxz_max; }
  int idxb_max() const { return m_view.idxb_max; }
  /// Channel (Ulisttot / Y block) of element `elem`: elem with chemflag, else 0.
  int channel(int elem) const { return m_params.chemflag ? elem : 0; }
  /// Raw-pointer view for the point kernels; valid while this object lives.
  const kernels::SnapTablesView &view() const { return m_view; }
  /// view() with every table at the address copy(table, label) returns, table being one of the
  /// std::vectors below and label a name for it (e.g. "snap:cglist"): the one list of the tables,
  /// used for this object's own view and for device copies (the copy must outlive the view).
  template <class Copy>
  kernels::SnapTablesView view_of_tables(Copy &&copy) const
  {
    kernels::SnapTablesView v = m_view;
    v.idxu_block = copy(m_idxu_block, "snap:idxu_block");
    v.rootpq = copy(m_rootpq, "snap:rootpq");
    v.cglist = copy(m_cglist, "snap:cglist");
    v.zrow = copy(m_zrow, "snap:zrow");
    v.idxz = copy(m_idxz, "snap:idxz");
    v.idxb = copy(m_idxb, "snap:idxb");
    v.bzero = copy(m_bzero, "snap:bzero");
    v.beta_orbit_start = copy(m_orbit_start, "snap:orbit_start");
    v.beta_orbit = copy(m_orbit, "snap:orbit");
    v.sinnerelem = copy(m_sinner, "snap:sinnerelem");
    v.dinnerelem = copy(m_dinner, "snap:dinnerelem");
    return v;
  }

  /// (j1, j2, j) of bispectrum component k (0 <= k < idxb_max), as in LAMMPS' idxb list.
  void component(int k, int &j1, int &j2, int &j) const;

  // flat tables (exposed for device copies and tests)
  const std::vector<int> &idxu_block() const { return m_idxu_block; }
  const std::vector<double> &rootpq() const { return m_rootpq; }
  const std::vector<double> &cglist() const { return m_cglist; }
  const std::vector<int> &zrow() const { return m_zrow; }
  const std::vector<kernels::SnapZIndex> &idxz() const { return m_idxz; }
  const std::vector<kernels::SnapBIndex> &idxb() const { return m_idxb; }
  const std::vector<double> &bzero() const { return m_bzero; }
  const std::vector<int> &beta_orbit_start() const { return m_orbit_start; }
  const std::vector<int> &beta_orbit() const { return m_orbit; }

 private:
  void build();
  SnapParams m_params;
  std::vector<int> m_idxu_block;
  std::vector<double> m_rootpq;
  std::vector<double> m_cglist;
  std::vector<int> m_zrow;
  std::vector<kernels::SnapZIndex> m_idxz;
  std::vector<kernels::SnapBIndex> m_idxb;
  std::vector<double> m_bzero;
  std::vector<int> m_orbit_start, m_orbit;
  std::vector<double> m_sinner, m_dinner;    // per element; zeros without switchinnerflag
  kernels::SnapTablesView m_view;
};

}    // namespace reval
