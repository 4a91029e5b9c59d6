// Test support for the SNAP unit tests: the reader of tests/unit/refdata/*.ref (written by
// refdata/generate.sh with LAMMPS) and a brute-force periodic neighbour search, so that the tests
// need no LAMMPS. Header-only, test code.
#pragma once

#include "core/error.h"
#include "core/snap_engine.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace reval::test {

inline std::string snap_refdata_dir() { return std::string(REVAL_SOURCE_DIR) + "/tests/unit/refdata"; }
#ifndef REVAL_POTENTIALS_DIR
#define REVAL_POTENTIALS_DIR "/usr/share/lammps/potentials"
#endif
inline std::string lammps_potentials_dir() { return REVAL_POTENTIALS_DIR; }
/// A potential file shipped with LAMMPS (Debian package lammps-data).
inline std::string potential(const std::string &name) { return lammps_potentials_dir() + "/" + name; }
inline bool have_potentials() { return std::ifstream(potential("Si_Zuo_JPCA2020.snapcoeff")).good(); }

/// One reference configuration with LAMMPS' results.
struct SnapRef {
  double energy = 0.0;         ///< total potential energy (eV)
  double lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};    ///< orthogonal periodic box (Å)
  int natoms = 0;
  int nsna = 0;                ///< bispectrum columns
  std::vector<int> type;       ///< LAMMPS types (1-based)
  std::vector<double> x;       ///< natoms x 3 (Å)
  std::vector<double> f;       ///< natoms x 3 (eV/Å)
  std::vector<double> pe;      ///< per-atom energies (eV)
  std::vector<double> sna;     ///< natoms x nsna
};

inline SnapRef read_snap_ref(const std::string &path)
{
  std::ifstream in(path);
  if (!in) throw Error("cannot open reference file " + path);
  SnapRef r;
  std::string line;
  bool have_energy = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    if (key == "energy") {
      ls >> r.energy;
      have_energy = true;
    } else if (line.rfind("ITEM: NUMBER OF ATOMS", 0) == 0) {
      std::getline(in, line);
      r.natoms = std::stoi(line);
    } else if (line.rfind("ITEM: BOX BOUNDS", 0) == 0) {
      if (line.find("xy") != std::string::npos) throw Error(path + ": triclinic boxes are not supported here");
      for (int d = 0; d < 3; ++d) {
        std::getline(in, line);
        std::istringstream bs(line);
        bs >> r.lo[d] >> r.hi[d];
      }
    } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
      std::istringstream hs(line.substr(11));
      std::vector<std::string> cols;
      std::string c;
      while (hs >> c) cols.push_back(c);
      auto col = [&](const std::string &name) {
        for (std::size_t k = 0; k < cols.size(); ++k)
          if (cols[k] == name) return static_cast<int>(k);
        throw Error(path + ": no column " + name);
      };
      const int cid = col("id"), ct = col("type"), cx = col("x"), cf = col("fx"), cpe = col("c_pe");
      int csna = -1;
      for (std::size_t k = 0; k < cols.size(); ++k)
        if (cols[k].rfind("c_sna[", 0) == 0) {
          if (csna < 0) csna = static_cast<int>(k);
          ++r.nsna;
        }
      r.type.assign(r.natoms, 0);
      r.x.assign(3 * r.natoms, 0.0);
      r.f.assign(3 * r.natoms, 0.0);
      r.pe.assign(r.natoms, 0.0);
      r.sna.assign(static_cast<std::size_t>(r.natoms) * r.nsna, 0.0);
      for (int a = 0; a < r.natoms; ++a) {
        if (!std::getline(in, line)) throw Error(path + ": truncated atom list");
        std::istringstream as(line);
        std::vector<double> v;
        double d;
        while (as >> d) v.push_back(d);
        if (v.size() != cols.size()) throw Error(path + ": bad atom line");
        const int i = static_cast<int>(v[cid]) - 1;    // sorted by id
        r.type[i] = static_cast<int>(v[ct]);
        for (int k = 0; k < 3; ++k) {
          r.x[3 * i + k] = v[cx + k];
          r.f[3 * i + k] = v[cf + k];
        }
        r.pe[i] = v[cpe];
        for (int k = 0; k < r.nsna; ++k) r.sna[static_cast<std::size_t>(i) * r.nsna + k] = v[csna + k];
      }
    }
  }
  if (!have_energy || r.natoms == 0) throw Error(path + ": incomplete reference file");
  return r;
}

/// Per-atom short lists over all periodic images (brute force), within rcut_ij of the potential.
struct PeriodicNeighbors {
  std::vector<SnapShortList> lists;    ///< jatom = index of the neighbour's owner atom
};

/// elem[i] = element index of atom i. Box: orthogonal [lo, hi) periodic in all directions.
inline PeriodicNeighbors periodic_neighbors(const SnapParams &p, const std::vector<double> &x,
                                            const std::vector<int> &elem, const double lo[3], const double hi[3])
{
  const int n = static_cast<int>(elem.size());
  const double L[3] = {hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]};
  const double rmax = p.max_cutoff();
  int nimg[3];
  for (int d = 0; d < 3; ++d) nimg[d] = static_cast<int>(std::ceil(rmax / L[d])) + 1;
  PeriodicNeighbors out;
  out.lists.resize(n);
  for (int i = 0; i < n; ++i) {
    SnapShortList &s = out.lists[i];
    for (int j = 0; j < n; ++j) {
      const double rc = p.cutoff(elem[i], elem[j]);
      for (int a = -nimg[0]; a <= nimg[0]; ++a)
        for (int b = -nimg[1]; b <= nimg[1]; ++b)
          for (int c = -nimg[2]; c <= nimg[2]; ++c) {
            const double d[3] = {x[3 * j] + a * L[0] - x[3 * i], x[3 * j + 1] + b * L[1] - x[3 * i + 1],
                                 x[3 * j + 2] + c * L[2] - x[3 * i + 2]};
            const double rsq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (rsq < rc * rc && rsq > 1e-20) {
              s.rij.insert(s.rij.end(), d, d + 3);
              s.jelem.push_back(elem[j]);
              s.jatom.push_back(j);
              ++s.n;
            }
          }
    }
  }
  return out;
}

/// Total energy, per-atom energies and forces of a periodic configuration with one model
/// (forces from dE_i/dr_j: f_i += dedr, f_j -= dedr, as LAMMPS pair snap).
struct SnapResult {
  double energy = 0.0;
  std::vector<double> pe, f, B;    // natoms, natoms x 3, natoms x ncoeff
};

inline SnapResult evaluate_periodic(SnapEngine &engine, const SnapModel &model, const std::vector<double> &x,
                                    const std::vector<int> &elem, const double lo[3], const double hi[3])
{
  const int n = static_cast<int>(elem.size());
  const int nc = engine.ncoeff();
  const PeriodicNeighbors nb = periodic_neighbors(engine.params(), x, elem, lo, hi);
  SnapResult r;
  r.pe.assign(n, 0.0);
  r.f.assign(3 * n, 0.0);
  r.B.assign(static_cast<std::size_t>(n) * nc, 0.0);
  std::vector<double> dedr, beta(nc);
  for (int i = 0; i < n; ++i) {
    const SnapShortList &s = nb.lists[i];
    dedr.assign(3 * s.n, 0.0);
    const double e = engine.compute(elem[i], s.n, s.rij.data(), s.jelem.data(), model, dedr.data(),
                                    r.B.data() + static_cast<std::size_t>(i) * nc, beta.data());
    r.pe[i] = e;
    r.energy += e;
    for (int jj = 0; jj < s.n; ++jj)
      for (int k = 0; k < 3; ++k) {
        r.f[3 * i + k] += dedr[3 * jj + k];
        r.f[3 * s.jatom[jj] + k] -= dedr[3 * jj + k];
      }
  }
  return r;
}

/// Total energy only (B and the model, no forces; for finite differences).
inline double energy_periodic(SnapEngine &engine, const SnapModel &model, const std::vector<double> &x,
                              const std::vector<int> &elem, const double lo[3], const double hi[3])
{
  const PeriodicNeighbors nb = periodic_neighbors(engine.params(), x, elem, lo, hi);
  std::vector<double> B(engine.ncoeff()), beta(engine.ncoeff());
  double e = 0.0;
  for (std::size_t i = 0; i < elem.size(); ++i) {
    const SnapShortList &s = nb.lists[i];
    engine.bispectrum(elem[i], s.n, s.rij.data(), s.jelem.data(), B.data());
    e += model.energy_and_beta(elem[i], B.data(), beta.data());
  }
  return e;
}

/// |a - b| <= rel * |b| + abs
inline bool close(double a, double b, double rel, double abs) { return std::fabs(a - b) <= rel * std::fabs(b) + abs; }

}    // namespace reval::test
