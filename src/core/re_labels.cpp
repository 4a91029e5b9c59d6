#include "core/re_labels.h"

#include "core/cell_grid.h"
#include "core/error.h"
#include "core/frame_cell.h"
#include "core/site_index.h"    // SiteIndex::kNeighbourTolerance
#include "core/static_sites.h"    // read_site_file
#include "kernels/point/box_math.hpp"
#include "kernels/point/site_search.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <string>

namespace reval {

namespace {

constexpr double kSearchCap = 5.5;    // compute vacancy/sites' cap (science.md: 5.5 Å)
constexpr double kPi = 3.14159265358979323846;

const std::vector<std::array<double, 3>> &basis_of(const std::string &lattice)
{
  static const std::vector<std::array<double, 3>> sc{{0, 0, 0}}, bcc{{0, 0, 0}, {.5, .5, .5}},
      fcc{{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}},
      diamond{{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75},
              {.75, .75, .25}};
  if (lattice == "sc") return sc;
  if (lattice == "bcc") return bcc;
  if (lattice == "fcc") return fcc;
  if (lattice == "diamond") return diamond;
  throw Error("re_labels: unknown lattice '" + lattice + "'");
}

using Mat3 = Eigen::Matrix3d;    // columns = cell vectors

/// The frame in LAMMPS' box convention: box geometry and the rotation taking frame axes to box axes.
struct FrameBox {
  kernels::BoxGeom box{};
  Mat3 rot;    // x_box = rot * x_frame
};

FrameBox lammps_box(const XyzFrame &f)
{
  const Mat3 c = frame_cell(f);
  const Eigen::Vector3d a = c.col(0), b = c.col(1), cc = c.col(2);
  const double lx = a.norm();
  const Eigen::Vector3d ah = a / lx;
  const double xy = b.dot(ah), ly = ah.cross(b).norm();
  const double xz = cc.dot(ah), yz = (b.dot(cc) - xy * xz) / ly;
  const double lz = std::sqrt(std::max(cc.squaredNorm() - xz * xz - yz * yz, 0.0));
  if (c.determinant() <= 0.0) throw Error("re_labels: left-handed cell");
  Mat3 h;
  h << lx, xy, xz, 0, ly, yz, 0, 0, lz;
  FrameBox fb;
  fb.rot = h * c.inverse();
  const Mat3 hi = h.inverse();
  fb.box.h[0] = lx, fb.box.h[1] = ly, fb.box.h[2] = lz, fb.box.h[3] = yz, fb.box.h[4] = xz, fb.box.h[5] = xy;
  fb.box.h_inv[0] = hi(0, 0), fb.box.h_inv[1] = hi(1, 1), fb.box.h_inv[2] = hi(2, 2);
  fb.box.h_inv[3] = hi(1, 2), fb.box.h_inv[4] = hi(0, 2), fb.box.h_inv[5] = hi(0, 1);
  for (int d = 0; d < 3; ++d) {
    fb.box.boxlo[d] = 0.0;
    fb.box.periodic[d] = f.pbc[d] ? 1 : 0;
  }
  return fb;
}

/// A frame point (frame axes) in the box, periodic dimensions wrapped: Cartesian y and lamda.
void in_box(const FrameBox &fb, const double *x_frame, double y[3], double lam[3])
{
  const Eigen::Vector3d x = fb.rot * Eigen::Vector3d(x_frame[0], x_frame[1], x_frame[2]);
  kernels::x2lamda(fb.box, x.data(), lam);
  for (int d = 0; d < 3; ++d)
    if (fb.box.periodic[d]) lam[d] = kernels::wrap_unit(lam[d]);
  kernels::lamda2x(fb.box, lam, y);
}

}    // namespace

std::vector<double> frame_sites(const XyzFrame &f, const FitSites &s, const std::string &where)
{
  std::vector<double> out;
  if (s.kind == FitSites::Kind::none) return out;
  if (s.kind == FitSites::Kind::file) {
    std::ifstream in(s.file);
    if (!in) throw Error(where + ": cannot open site file '" + s.file + "'");
    for (const auto &p : read_site_file(in, s.file)) out.insert(out.end(), p.begin(), p.end());
    return out;
  }
  const Mat3 c = frame_cell(f);
  int n[3];
  for (int i = 0; i < 3; ++i) {
    const double len = c.col(i).norm(), ratio = len / s.a;
    n[i] = static_cast<int>(std::lround(ratio));
    if (n[i] < 1 || std::fabs(ratio - n[i]) > 0.1 * n[i])
      throw Error(where + ": cell vector " + std::to_string(i + 1) + " (" + std::to_string(len) +
                  " A) is not a whole number of " + s.lattice + " cells of a = " + std::to_string(s.a) +
                  " A (within 10%): give re_sites none or a site file for this group");
  }
  for (int i = 0; i < 3; ++i)
    for (int j = i + 1; j < 3; ++j) {
      const double ang = std::acos(c.col(i).normalized().dot(c.col(j).normalized())) * 180.0 / kPi;
      if (std::fabs(ang - 90.0) > 10.0)
        throw Error(where + ": cell angle " + std::to_string(ang) + " degrees is not a supercell of the cubic " +
                    s.lattice + " cell (within 10 degrees of 90)");
    }
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i)
        for (const auto &b : basis_of(s.lattice)) {
          const Eigen::Vector3d fr((i + b[0]) / n[0], (j + b[1]) / n[1], (k + b[2]) / n[2]);
          const Eigen::Vector3d x = c * fr;
          out.insert(out.end(), {x[0], x[1], x[2]});
        }
  return out;
}

ReLabels migrating_atoms(const XyzFrame &f, const std::vector<double> &sites, double dre, bool pairs_any)
{
  ReLabels out;
  out.migrating.assign(f.natoms(), 0);
  const int ns = static_cast<int>(sites.size() / 3);
  if (ns < 2) return out;
  const FrameBox fb = lammps_box(f);
  const kernels::BoxGeom &box = fb.box;
  // sites wrapped into the box plus every periodic image within the search cap of it
  double margin[3];
  for (int d = 0; d < 3; ++d) margin[d] = kSearchCap * kernels::lamda_per_length(box, d);
  std::vector<double> img;    // Cartesian, box axes
  for (int s = 0; s < ns; ++s) {
    double lam[3], y0[3];
    in_box(fb, &sites[3 * s], y0, lam);
    int lo[3], hi[3];
    for (int d = 0; d < 3; ++d) {
      lo[d] = box.periodic[d] ? -static_cast<int>(std::ceil(margin[d])) - 1 : 0;
      hi[d] = box.periodic[d] ? static_cast<int>(std::ceil(margin[d])) + 1 : 0;
    }
    for (int a = lo[0]; a <= hi[0]; ++a)
      for (int b = lo[1]; b <= hi[1]; ++b)
        for (int c = lo[2]; c <= hi[2]; ++c) {
          const double l[3] = {lam[0] + a, lam[1] + b, lam[2] + c};
          bool in = true;
          for (int d = 0; d < 3; ++d) in = in && l[d] >= -margin[d] && l[d] < 1.0 + margin[d];
          if (!in) continue;
          double y[3];
          kernels::lamda2x(box, l, y);
          img.insert(img.end(), y, y + 3);
        }
  }
  const int ni = static_cast<int>(img.size() / 3);
  CellGrid grid;
  double glo[3], ghi[3];
  for (int d = 0; d < 3; ++d) {
    glo[d] = -margin[d];
    ghi[d] = 1.0 + margin[d];
  }
  grid.layout(box, glo, ghi, 2.0, 0.0);
  std::vector<const double *> p(ni);
  for (int i = 0; i < ni; ++i) p[i] = &img[3 * static_cast<size_t>(i)];
  grid.assign_cartesian(p.data(), ni, box);
  grid.coords_from_cartesian(p.data());
  const kernels::GridView g = grid.view(box);
  // nearest-neighbour spacing of the sites as compute vacancy/sites takes it (SiteIndex: the mean over the
  // sites of each one's nearest other site; pairs neighbours: |s1 - s2| <= kNeighbourTolerance d_nn)
  double sum = 0.0;
  int count = 0;
  for (int s = 0; s < ns; ++s) {
    double lam[3], y[3];
    in_box(fb, &sites[3 * s], y, lam);
    const kernels::NearestTwo two = kernels::nearest_two_sites(g, y, kSearchCap);    // s1 = the site itself
    if (two.s2 >= 0) {
      sum += two.d2;
      ++count;
    }
  }
  const double dnn = count ? sum / count : kSearchCap;
  out.nn_distance = dnn;
  const double nn_cut2 = std::pow(SiteIndex::kNeighbourTolerance * dnn, 2);
  const kernels::SitePairs pairs = pairs_any ? kernels::SitePairs::any : kernels::SitePairs::neighbours;
  for (int i = 0; i < f.natoms(); ++i) {
    double lam[3], y[3];
    in_box(fb, &f.pos[3 * i], y, lam);
    const kernels::NearestTwo two = kernels::nearest_two_sites(g, y, kSearchCap);
    out.migrating[i] = kernels::is_migrating_at_sites(two, g.px, g.py, g.pz, nn_cut2, dre, kSearchCap, pairs);
  }
  return out;
}

}    // namespace reval
