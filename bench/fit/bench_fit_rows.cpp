// Timing of reval-fit's descriptor rows (core/snap_fit_rows: energy, 3N force and 6 virial rows of
// every configuration, what LAMMPS compute snap returns) over the frames of an extended XYZ file,
// `reps` evaluations per frame. Prints the time per evaluation of each frame (ms) and checksums of
// the rows. Driven by bench/fit/bench_fit.py; not a test: nothing asserts on time.
//
// usage: bench_fit_rows FRAMES.xyz PARAM.snapparam COEFF.snapcoeff ELEMENT reps
#include "core/error.h"
#include "core/extxyz.h"
#include "core/snap_descriptor.h"
#include "core/snap_files.h"
#include "core/snap_fit_rows.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace reval;

int main(int argc, char **argv)
{
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s FRAMES.xyz PARAM.snapparam COEFF.snapcoeff ELEMENT reps\n", argv[0]);
    return 2;
  }
  try {
    const std::vector<XyzFrame> frames = read_extxyz(argv[1]);
    const SnapParamFile pf = read_snapparam(argv[2]);
    const SnapCoeffFile cf = read_snapcoeff(argv[3]);
    auto desc = std::make_shared<const SnapDescriptor>(snap_params_from_files(pf, cf, {argv[4]}));
    SnapFitRows rows(desc, pf.quadraticflag != 0);
    const int reps = std::atoi(argv[5]);
    const int nc = rows.ncols();
    for (std::size_t k = 0; k < frames.size(); ++k) {
      const XyzFrame &f = frames[k];
      std::vector<double> e(nc), fr(3 * static_cast<size_t>(f.natoms()) * nc), w(6 * nc);
      rows.compute(f, e.data(), fr.data(), w.data());    // warm-up (workspace growth)
      const auto t0 = std::chrono::steady_clock::now();
      for (int r = 0; r < reps; ++r) rows.compute(f, e.data(), fr.data(), w.data());
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / reps;
      double fsum = 0.0;
      for (double v : fr) fsum += std::fabs(v);
      std::printf("frame %zu atoms %d ms %.6f energy_row_1 %.12g force_abs_sum %.12g\n", k, f.natoms(), ms, e[1], fsum);
    }
  } catch (const Error &e) {
    std::fprintf(stderr, "ERROR: %s\n", e.what());
    return 1;
  }
  return 0;
}
