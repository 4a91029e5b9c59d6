#include "core/static_sites.h"

#include "core/error.h"
#include "core/text.h"

#include <Eigen/Dense>

#include <cmath>
#include <limits>
#include <sstream>

namespace reval {

using kernels::BoxGeom;

int64_t enumerate_lattice_sites(const BoxGeom &box, const LatticeMap &lat,
                                const std::function<void(int64_t, const double *)> &keep)
{
  if (lat.basis.empty()) throw Error("the lattice has no basis points");
  Eigen::Matrix3d A;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) A(r, c) = lat.a[c][r];
  if (std::fabs(A.determinant()) < 1e-12) throw Error("the lattice cell vectors are degenerate");
  const Eigen::Matrix3d Ainv = A.inverse();
  const Eigen::Vector3d p0(lat.p0[0], lat.p0[1], lat.p0[2]);

  // bounding box of the 8 box corners in lattice coordinates, padded as create_atoms pads it
  double mn[3] = {1e300, 1e300, 1e300}, mx[3] = {-1e300, -1e300, -1e300};
  for (int c = 0; c < 8; ++c) {
    double l[3] = {double(c & 1), double((c >> 1) & 1), double((c >> 2) & 1)}, x[3];
    kernels::lamda2x(box, l, x);
    Eigen::Vector3d u = Ainv * (Eigen::Vector3d(x[0], x[1], x[2]) - p0);
    for (int d = 0; d < 3; ++d) {
      mn[d] = std::min(mn[d], u[d]);
      mx[d] = std::max(mx[d], u[d]);
    }
  }
  long lo[3], hi[3];
  for (int d = 0; d < 3; ++d) {
    lo[d] = static_cast<long>(mn[d]) - 1 - (mn[d] < 0.0 ? 1 : 0);
    hi[d] = static_cast<long>(mx[d]) + 1;
  }
  double llo[3], lhi[3];
  for (int d = 0; d < 3; ++d) {
    llo[d] = box.periodic[d] ? -kBoxFaceEpsilon : 0.0;
    lhi[d] = box.periodic[d] ? 1.0 - 2.0 * kBoxFaceEpsilon : 1.0;
  }

  int64_t count = 0;
  const size_t nb = lat.basis.size();
  double x[3], l[3];
  for (long k = lo[2]; k <= hi[2]; ++k)
    for (long j = lo[1]; j <= hi[1]; ++j)
      for (long i = lo[0]; i <= hi[0]; ++i)
        for (size_t m = 0; m < nb; ++m) {
          const double u0 = i + lat.basis[m][0], u1 = j + lat.basis[m][1], u2 = k + lat.basis[m][2];
          for (int r = 0; r < 3; ++r) x[r] = lat.p0[r] + lat.a[0][r] * u0 + lat.a[1][r] * u1 + lat.a[2][r] * u2;
          kernels::x2lamda(box, x, l);
          if (l[0] < llo[0] || l[0] >= lhi[0] || l[1] < llo[1] || l[1] >= lhi[1] || l[2] < llo[2] ||
              l[2] >= lhi[2])
            continue;
          ++count;
          for (int d = 0; d < 3; ++d)
            if (box.periodic[d]) l[d] = kernels::wrap_unit(l[d]);
          keep(count, l);
        }
  return count;
}

std::vector<std::array<double, 3>> read_site_file(std::istream &in, const std::string &name)
{
  std::vector<std::array<double, 3>> sites;
  std::string line;
  long lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    const std::vector<std::string> words = text::words(text::strip_comment(line));
    if (words.empty()) continue;
    if (words.size() != 3)
      throw Error("site file " + name + " line " + std::to_string(lineno) + ": expected 'x y z', found " +
                  std::to_string(words.size()) + " values");
    std::array<double, 3> p{};
    for (int d = 0; d < 3; ++d) {
      size_t used = 0;
      double v = 0;
      try {
        v = std::stod(words[d], &used);
      } catch (std::exception &) {
        used = 0;
      }
      if (used != words[d].size() || !std::isfinite(v))
        throw Error("site file " + name + " line " + std::to_string(lineno) + ": '" + words[d] +
                    "' is not a finite number");
      p[d] = v;
    }
    sites.push_back(p);
  }
  if (in.bad()) throw Error("cannot read site file " + name);
  if (sites.empty()) throw Error("site file " + name + " contains no sites");
  return sites;
}

bool site_lamda_in_box(const BoxGeom &box, const double x[3], double lam[3])
{
  kernels::x2lamda(box, x, lam);
  for (int d = 0; d < 3; ++d) {
    if (lam[d] >= 0.0 && lam[d] < 1.0) continue;
    if (box.periodic[d] && lam[d] >= -kBoxFaceEpsilon && lam[d] < 1.0 + kBoxFaceEpsilon) {
      lam[d] = kernels::wrap_unit(lam[d]);
      continue;
    }
    return false;
  }
  return true;
}

std::array<int, 3> box_flip(const BoxGeom &o, const BoxGeom &n)
{
  // H = [[h0, h5, h4], [0, h1, h3], [0, 0, h2]] and H^-1 likewise from h_inv
  const double a01 = o.h_inv[0] * n.h[5] + o.h_inv[5] * n.h[1];
  const double a02 = o.h_inv[0] * n.h[4] + o.h_inv[5] * n.h[3] + o.h_inv[4] * n.h[2];
  const double a12 = o.h_inv[1] * n.h[3] + o.h_inv[3] * n.h[2];
  return {static_cast<int>(std::lround(a01)), static_cast<int>(std::lround(a02)),
          static_cast<int>(std::lround(a12))};
}

void apply_box_flip(const std::array<int, 3> &m, const int periodic[3], double lam[3])
{
  const double a = m[0], b = m[1], c = m[2];
  const double l0 = lam[0] - a * lam[1] + (a * c - b) * lam[2];
  const double l1 = lam[1] - c * lam[2];
  lam[0] = l0;
  lam[1] = l1;
  for (int d = 0; d < 3; ++d)
    if (periodic[d]) lam[d] = kernels::wrap_unit(lam[d]);
}

void ghost_targets(const double l[3], const ProcBox &own, const std::vector<ProcBox> &boxes, const double margin[3],
                   const int periodic[3], int me, std::vector<GhostTarget> &out)
{
  // a site deeper inside its own box than the margin along every dimension has no copies anywhere
  bool near = false;
  for (int d = 0; d < 3; ++d)
    if (l[d] - own.lo[d] < margin[d] || own.hi[d] - l[d] <= margin[d]) near = true;
  if (!near) return;
  int smin[3], smax[3];
  for (int d = 0; d < 3; ++d) {
    smin[d] = periodic[d] ? -1 : 0;
    smax[d] = periodic[d] ? 1 : 0;
  }
  for (int sz = smin[2]; sz <= smax[2]; ++sz)
    for (int sy = smin[1]; sy <= smax[1]; ++sy)
      for (int sx = smin[0]; sx <= smax[0]; ++sx) {
        const double p[3] = {l[0] + sx, l[1] + sy, l[2] + sz};
        bool possible = true;
        for (int d = 0; d < 3; ++d)
          if (p[d] < -margin[d] || p[d] >= 1.0 + margin[d]) possible = false;
        if (!possible) continue;
        for (int q = 0; q < static_cast<int>(boxes.size()); ++q) {
          if (q == me && sx == 0 && sy == 0 && sz == 0) continue;
          const ProcBox &b = boxes[q];
          if (p[0] >= b.lo[0] - margin[0] && p[0] < b.hi[0] + margin[0] && p[1] >= b.lo[1] - margin[1] &&
              p[1] < b.hi[1] + margin[1] && p[2] >= b.lo[2] - margin[2] && p[2] < b.hi[2] + margin[2])
            out.push_back(GhostTarget{q, {sx, sy, sz}});
        }
      }
}

}    // namespace reval
