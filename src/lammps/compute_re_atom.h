/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute re/atom — per atom: migrating (rare-event) flag, distance to the nearest
   static site, to the nearest vacancy and to the nearest migrating atom, index of the nearest site.
   Doc: doc/compute_re_atom.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_RE_ATOM_H
#define LMP_COMPUTE_RE_ATOM_H

#include "compute.h"

#include <memory>
#include <string>
#include <vector>

#include "core/huge_pages.h"
#include "kernels/point/site_search.hpp"

namespace reval {
class PointGrid;
class PointQueries;
}

namespace LAMMPS_NS {

class ComputeVacancySites;

class ComputeREAtom : public Compute {
 public:
  ComputeREAtom(class LAMMPS *, int, char **);
  ~ComputeREAtom() override;
  void init() override;
  void setup() override;
  double compute_scalar() override;
  void compute_peratom() override;
  int pack_forward_comm(int, int *, double *, int, int *) override;
  void unpack_forward_comm(int, int, double *) override;
  double memory_usage() override;

  ComputeVacancySites *sites() const { return m_sites; }
  double rmax() const { return m_rmax; }

 protected:
  /// Bins the vacancy and migrating-atom points (x y z each) into m_vac_grid / m_mig_grid over this
  /// rank's sub-domain grown by rmax + skin.
  void build_point_grids(const std::vector<double> &vac, const std::vector<double> &mig);
  /// Cartesian x y z of the vacant sites within reach of this rank's atoms: owned vacancies and vacant
  /// ghost copies of sites (collective: exchanges the ghost occupancy first).
  const std::vector<double> &vacancy_points();
  /// Sums the migrating atoms of all ranks (`nmig_local` here) into m_nmigrating; if there are any,
  /// sends the migrating flags (m_flag of the owned atoms) and the positions of the flagged owned
  /// atoms (m_xpos, filled by the caller) to the ghost atoms, shifted by the current box, and returns
  /// x y z of every flagged owned and ghost atom (collective). Ghost coordinates in atom->x are not used: they are
  /// stale when a fix moved the owned atoms after the last ghost update (fix deform remap x moves
  /// them at the end of the step, when this compute runs).
  const std::vector<double> &migrating_points(double nmig_local);
  /// Makes m_flag and m_xpos hold nmax atoms.
  void grow_comm_arrays();

  std::string m_id_sites;
  ComputeVacancySites *m_sites = nullptr;
  double m_dre = 0.75, m_rmax = 5.5;
  reval::kernels::SitePairs m_pairs = reval::kernels::SitePairs::any;    // keyword pairs
  int m_nmax = 0, m_nmax_comm = 0;
  double **m_array = nullptr;                // per-atom output (rows of m_array_store; the kk twin's own)
  reval::HugeVector<double> m_array_store;    // plain style: nmax x 5
  std::vector<double *> m_array_rows;
  double *m_flag = nullptr;    // migrating flag, owned + ghost atoms (forward communicated)
  reval::HugeVector<double> m_flag_store;
  std::vector<double> m_mig_pts, m_vac_pts;    // the points of the last migrating_points() / vacancy_points()
  std::vector<double> m_xpos;  // x y z of flagged atoms, owned (set before) + ghost (forward communicated)
  std::unique_ptr<reval::PointGrid> m_vac_grid, m_mig_grid;    // vacancies / migrating atoms, binned
  std::unique_ptr<reval::PointQueries> m_queries;               // atoms with a point within reach, by cell
  double m_nmigrating = 0.0;
};

}    // namespace LAMMPS_NS

#endif
