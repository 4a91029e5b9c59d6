#include "core/cell_grid.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>

namespace reval {

using kernels::BoxGeom;

void CellGrid::layout(const BoxGeom &b, const double lo[3], const double hi[3], double width, double slack,
                      long max_bins)
{
  if (!(width > 0.0)) throw Error("CellGrid: bin width must be positive");
  double want[3];
  for (int d = 0; d < 3; ++d) {
    double extent = hi[d] - lo[d];
    if (!(extent > 0.0)) throw Error("CellGrid: empty region");
    want[d] = width * (1.0 + slack) * kernels::lamda_per_length(b, d);
    // a tiny width asks for more bins than max_bins allows anyway: clamp before the conversion
    const double nb = std::floor(extent / want[d]);
    m_nb[d] = nb >= 1.0 ? static_cast<int>(std::min(nb, static_cast<double>(max_bins))) : 1;
  }
  while (static_cast<double>(m_nb[0]) * m_nb[1] * m_nb[2] > static_cast<double>(max_bins)) {
    int d = static_cast<int>(std::max_element(m_nb, m_nb + 3) - m_nb);
    m_nb[d] = std::max(1, m_nb[d] / 2);
  }
  for (int d = 0; d < 3; ++d) {
    m_lo[d] = lo[d];
    m_bs[d] = (hi[d] - lo[d]) / m_nb[d];
    m_inv_bs[d] = 1.0 / m_bs[d];
  }
  m_bin_start.assign(static_cast<size_t>(m_nb[0]) * m_nb[1] * m_nb[2] + 1, 0);
  m_order.clear();
}

double CellGrid::width(const BoxGeom &b) const
{
  double w = 1e300;
  for (int d = 0; d < 3; ++d) w = std::min(w, m_bs[d] / kernels::lamda_per_length(b, d));
  return w;
}

bool CellGrid::thick_enough(const BoxGeom &b, double width) const
{
  return this->width(b) >= width;
}

int CellGrid::bin_of_lamda(const double l[3]) const
{
  int idx[3];
  // as kernels::grid_bin_of bins a query (times the inverse bin size)
  for (int d = 0; d < 3; ++d) idx[d] = kernels::clamped_floor_index((l[d] - m_lo[d]) * m_inv_bs[d], m_nb[d]);
  return (idx[2] * m_nb[1] + idx[1]) * m_nb[0] + idx[0];
}

void CellGrid::finish_assign()
{
  const std::vector<int> &bins = m_bins;
  const size_t nbin = m_bin_start.size() - 1;
  std::fill(m_bin_start.begin(), m_bin_start.end(), 0);
  for (int bb : bins) ++m_bin_start[bb + 1];
  for (size_t i = 0; i < nbin; ++i) m_bin_start[i + 1] += m_bin_start[i];
  m_fill.assign(m_bin_start.begin(), m_bin_start.end() - 1);
  m_order.resize(bins.size());
  for (size_t i = 0; i < bins.size(); ++i) m_order[m_fill[bins[i]]++] = static_cast<int>(i);
  m_px.resize(bins.size());
  m_py.resize(bins.size());
  m_pz.resize(bins.size());
}

void CellGrid::assign_lamda(const double *lam, int n)
{
  m_bins.resize(n);
  for (int i = 0; i < n; ++i) m_bins[i] = bin_of_lamda(lam + 3 * i);
  finish_assign();
  m_lam.resize(3 * static_cast<size_t>(n));    // slot order: coordinates refresh streams through memory
  for (int s = 0; s < n; ++s)
    for (int d = 0; d < 3; ++d) m_lam[3 * s + d] = lam[3 * m_order[s] + d];
}

void CellGrid::assign_cartesian(const double *const *x, int n, const BoxGeom &b)
{
  m_bins.resize(n);
  double l[3];
  for (int i = 0; i < n; ++i) {
    kernels::x2lamda(b, x[i], l);
    m_bins[i] = bin_of_lamda(l);
  }
  finish_assign();
}

void CellGrid::coords_from_lamda(const BoxGeom &b)
{
  double x[3];
  const int n = npoints();
  for (int s = 0; s < n; ++s) {
    kernels::lamda2x(b, &m_lam[3 * s], x);
    m_px[s] = x[0];
    m_py[s] = x[1];
    m_pz[s] = x[2];
  }
}

void CellGrid::coords_from_cartesian(const double *const *x)
{
  const int n = npoints();
  for (int s = 0; s < n; ++s) {
    const double *p = x[m_order[s]];
    m_px[s] = p[0];
    m_py[s] = p[1];
    m_pz[s] = p[2];
  }
}

kernels::GridView CellGrid::view(const BoxGeom &b) const
{
  kernels::GridView g;
  g.bin_start = m_bin_start.data();
  g.px = m_px.data();
  g.py = m_py.data();
  g.pz = m_pz.data();
  for (int d = 0; d < 3; ++d) {
    g.nb[d] = m_nb[d];
    g.lo[d] = m_lo[d];
    g.inv_bs[d] = m_inv_bs[d];
  }
  g.width = width(b);
  g.box = b;
  return g;
}

}    // namespace reval
