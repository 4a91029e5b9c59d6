// Micro benchmark of REVAL's SNAP engine (core/snap_engine) on a configuration written by LAMMPS
// (bench/snap_core/run.sh): per step, for every atom, the short list from a neighbour list with skin,
// E_i, B_i and dE_i/dr_j, and the force accumulation (what a pair style does). Prints µs per
// atom-step and checks the forces against the LAMMPS forces in the same file. Not a test: nothing
// asserts on time.
//
// usage: bench_snap_core <config.ref> <snap|mliap-KIND> <file1> <file2> <element> [steps]
#include "snap_test_support.h"

#include "core/snap_engine.h"
#include "core/snap_models.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace reval;

int main(int argc, char **argv)
{
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s <config.ref> <snap|mliap-KIND> <file1> <file2> <element> [steps]\n", argv[0]);
    return 2;
  }
  const std::string kind = argv[2];
  const int steps = argc > 6 ? std::atoi(argv[6]) : 20;
  try {
    const SnapPotential pot = kind == "snap" ? load_snap_potential(argv[3], argv[4], {argv[5]})
                                             : load_mliap_potential(kind.substr(6), argv[3], argv[4]);
    const test::SnapRef ref = test::read_snap_ref(argv[1]);
    const int n = ref.natoms;
    std::vector<int> elem(n, 0);
    SnapEngine engine(std::make_shared<const SnapDescriptor>(pot.params));

    // candidate lists with a 2 Å skin (LAMMPS metal default), as a full neighbour list would be
    SnapParams wide = pot.params;
    wide.rcutfac = (pot.params.max_cutoff() + 2.0) / (2.0 * pot.params.radelem[0]);
    const test::PeriodicNeighbors cand = test::periodic_neighbors(wide, ref.x, elem, ref.lo, ref.hi);
    // positions of images as LAMMPS ghosts would hold them
    std::vector<std::vector<double>> ghost(n);
    std::vector<std::vector<int>> owner(n);
    std::vector<const double *> xptr;
    std::vector<double> store;
    std::vector<int> jl;
    std::size_t total = 0;
    for (int i = 0; i < n; ++i) total += cand.lists[i].n;
    store.reserve(3 * total);
    std::vector<int> ghost_owner, ghost_elem;
    std::vector<std::vector<int>> jlist(n);
    for (int i = 0; i < n; ++i)
      for (int jj = 0; jj < cand.lists[i].n; ++jj) {
        for (int k = 0; k < 3; ++k) store.push_back(ref.x[3 * i + k] + cand.lists[i].rij[3 * jj + k]);
        ghost_owner.push_back(cand.lists[i].jatom[jj]);
        ghost_elem.push_back(0);
        jlist[i].push_back(static_cast<int>(ghost_owner.size()) - 1);
      }
    for (std::size_t g = 0; g < ghost_owner.size(); ++g) xptr.push_back(&store[3 * g]);

    std::vector<double> f(3 * n), dedr;
    SnapShortList s;
    double energy = 0.0;
    long long pairs = 0;
    auto one_step = [&]() {
      std::fill(f.begin(), f.end(), 0.0);
      energy = 0.0;
      pairs = 0;
      for (int i = 0; i < n; ++i) {
        engine.build_short_list(elem[i], &ref.x[3 * i], static_cast<int>(jlist[i].size()), jlist[i].data(),
                                xptr.data(), ghost_elem.data(), s);
        if (static_cast<int>(dedr.size()) < 3 * s.n) dedr.resize(3 * s.n);
        energy += engine.compute(elem[i], s.n, s.rij.data(), s.jelem.data(), pot.model, dedr.data());
        pairs += s.n;
        for (int jj = 0; jj < s.n; ++jj) {
          const int j = ghost_owner[s.jatom[jj]];
          for (int k = 0; k < 3; ++k) {
            f[3 * i + k] += dedr[3 * jj + k];
            f[3 * j + k] -= dedr[3 * jj + k];
          }
        }
      }
    };
    one_step();    // warm-up and check
    double ferr = 0.0;
    for (int k = 0; k < 3 * n; ++k) ferr = std::max(ferr, std::fabs(f[k] - ref.f[k]));
    const auto t0 = std::chrono::steady_clock::now();
    for (int st = 0; st < steps; ++st) one_step();
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("REVAL snap engine (%s, %s): %d atoms, %.1f neighbours/atom inside the cutoff, %d steps: "
                "%.2f us/atom-step  (E = %.10f vs LAMMPS %.10f, max |dF| = %.1e eV/A)\n",
                reval::snap_model_kind_name(pot.model.kind()).c_str(), pot.source.c_str(), n, double(pairs) / n, steps,
                1e6 * sec / (double(steps) * n), energy, ref.energy, ferr);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
