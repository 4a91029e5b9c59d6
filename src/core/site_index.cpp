#include "core/site_index.h"

#include "kernels/point/site_search.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace reval {

using kernels::BoxGeom;

LatticeMap lattice_map_from_images(const double origin[3], const double tips[3][3],
                                   const std::vector<std::array<double, 3>> &basis)
{
  LatticeMap map;
  for (int d = 0; d < 3; ++d) map.p0[d] = origin[d];
  for (int c = 0; c < 3; ++c)
    for (int d = 0; d < 3; ++d) map.a[c][d] = tips[c][d] - origin[d];
  map.basis = basis;
  return map;
}

void SiteIndex::assign_owned(std::vector<double> lam, std::vector<int64_t> gid)
{
  m_lam.assign(lam.begin(), lam.end());
  m_gid = std::move(gid);
  m_nown = static_cast<int>(m_gid.size());
  m_nghost = 0;
}

void SiteIndex::set_lattice(const LatticeMap &map, const BoxGeom &capture_box)
{
  m_has_lattice = true;
  m_lattice = map;
  m_capture_box = capture_box;
}

void SiteIndex::assign_local(std::vector<double> lam, std::vector<int64_t> gid, int nown, const ProcBox &own,
                             const double margin_lamda[3], const BoxGeom &box, double rvac)
{
  m_lam.assign(lam.begin(), lam.end());
  m_gid = std::move(gid);
  m_nown = nown;
  m_nghost = static_cast<int>(m_gid.size()) - nown;
  m_own = own;
  for (int d = 0; d < 3; ++d) m_margin[d] = margin_lamda[d];
  layout_grid(box, rvac);
  ++m_epoch;
  if (nn_known()) build_lists(box);
}

void SiteIndex::layout_grid(const BoxGeom &box, double rvac)
{
  // bins over the sub-domain plus margin; about one site per bin, never thinner than rvac
  double lo[3], hi[3];
  for (int d = 0; d < 3; ++d) {
    lo[d] = m_own.lo[d] - m_margin[d];
    hi[d] = m_own.hi[d] + m_margin[d];
  }
  const double volume = box.h[0] * box.h[1] * box.h[2];
  const double spacing = std::cbrt(volume / std::max<double>(1.0, static_cast<double>(m_nsites_total)));
  m_grid.layout(box, lo, hi, std::max(rvac, spacing));
  m_grid.assign_lamda(m_lam.data(), m_nown + m_nghost);
  const int n = m_grid.npoints();
  m_slot_gid.resize(n);
  for (int s = 0; s < n; ++s) m_slot_gid[s] = static_cast<double>(gid_of_slot(s));
}

void SiteIndex::build_lists(const BoxGeom &box)
{
  m_grid.coords_from_lamda(box);
  double lo[3], hi[3];
  for (int d = 0; d < 3; ++d) {
    lo[d] = m_own.lo[d] - m_margin[d];
    hi[d] = m_own.hi[d] + m_margin[d];
  }
  m_lists.build(m_grid, m_lam.data(), box, lo, hi, kListRadius * m_nn_distance);
  ++m_epoch;
}

std::array<int, 3> SiteIndex::follow_box(const BoxGeom &box)
{
  std::array<int, 3> m{0, 0, 0};
  if (m_box_known) {
    m = box_flip(m_box_last, box);
    if (m[0] || m[1] || m[2])
      for (int i = 0; i < m_nown; ++i) apply_box_flip(m, box.periodic, &m_lam[3 * i]);
  }
  m_box_last = box;
  m_box_known = true;
  return m;
}

bool SiteIndex::keep_exact(const BoxGeom &box, double rvac)
{
  if (!m_grid.thick_enough(box, rvac)) {    // strong deformation: bins must stay >= rvac thick
    layout_grid(box, rvac);
    build_lists(box);
    return true;
  }
  if (m_lists.radius_now(box) < kListRebuild * m_lists.build_radius()) {
    build_lists(box);
    return true;
  }
  return false;
}

bool SiteIndex::refresh_coords(const BoxGeom &box)
{
  // Cartesian site coordinates change only with the box (or a new grid)
  bool same = m_coords_epoch == m_epoch;
  for (int k = 0; k < 6 && same; ++k) same = (box.h[k] == m_coords_box.h[k]);
  for (int d = 0; d < 3 && same; ++d) same = (box.boxlo[d] == m_coords_box.boxlo[d]);
  if (same) return false;
  m_grid.coords_from_lamda(box);
  m_coords_box = box;
  m_coords_epoch = m_epoch;
  ++m_coords_version;
  return true;
}

NnScan SiteIndex::scan_nn(const BoxGeom &box, double cap)
{
  refresh_coords(box);
  const auto view = m_grid.view(box);
  NnScan s;
  s.closest = cap;
  for (int i = 0; i < m_nown; ++i) {
    double x[3];
    kernels::lamda2x(box, &m_lam[3 * i], x);
    const kernels::NearestTwo n = kernels::nearest_two_sites(view, x, cap);
    if (n.s2 >= 0 && n.d2 < cap) {    // one of s1, s2 is the site itself (both at 0 for a duplicate)
      s.sum += n.d2;
      s.count += 1.0;
      if (n.d2 < s.closest) {
        s.closest = n.d2;
        const int other = local_of_slot(n.s1) == i ? n.s2 : n.s1;
        s.pair[0] = m_gid[i];
        s.pair[1] = gid_of_slot(other);
      }
    }
  }
  return s;
}

void SiteIndex::set_nn_distance(double d, const BoxGeom &box)
{
  m_nn_distance = d;
  m_nn_cut2 = std::pow(kNeighbourTolerance * d, 2);
  build_lists(box);
}

namespace {
struct ShellVisitor {
  double first2, best2;
  REVAL_FUNCTION void operator()(int, double r2)    // called from the point kernel's row loop
  {
    if (r2 > first2 && r2 < best2) best2 = r2;
  }
};
}    // namespace

ShellScan SiteIndex::scan_second_shell(const BoxGeom &box, double reach)
{
  refresh_coords(box);
  const auto view = m_grid.view(box);
  ShellScan s;
  const double first = kNeighbourTolerance * m_nn_distance;
  double lpl[3];
  for (int d = 0; d < 3; ++d) lpl[d] = kernels::lamda_per_length(box, d);
  for (int i = 0; i < m_nown; ++i) {
    // only sites whose whole shell lies within the sites held here (else a missing site could hide it)
    bool inside = true;
    for (int d = 0; d < 3; ++d) {
      const double l = m_lam[3 * i + d];
      if (l - reach * lpl[d] < m_own.lo[d] - m_margin[d] || l + reach * lpl[d] > m_own.hi[d] + m_margin[d])
        inside = false;
    }
    if (!inside) continue;
    double x[3];
    kernels::lamda2x(box, &m_lam[3 * i], x);
    ShellVisitor v{first * first, reach * reach};
    kernels::grid_visit_within(view, x, reach, v);
    if (v.best2 < reach * reach) {
      s.sum += std::sqrt(v.best2);
      s.count += 1.0;
    }
  }
  return s;
}

size_t SiteIndex::memory_bytes() const
{
  return m_lam.size() * sizeof(double) + m_gid.size() * sizeof(int64_t) + m_slot_gid.size() * sizeof(double) +
      m_grid.npoints() * (3 * sizeof(double) + sizeof(int)) + m_grid.bin_start().size() * sizeof(int) +
      m_lists.memory_bytes();
}

}    // namespace reval
