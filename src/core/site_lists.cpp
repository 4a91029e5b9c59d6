#include "core/site_lists.h"

#include <algorithm>
#include <cmath>

namespace reval {

void SiteLists::build(const CellGrid &grid, const double *lam, const kernels::BoxGeom &b, const double lo[3],
                      const double hi[3], double radius)
{
  m_radius = radius;
  m_box = b;
  const auto g = grid.view(b);
  const int n = grid.npoints();
  const auto &order = grid.order();
  m_start.assign(n + 1, 0);
  m_list.clear();
  m_complete.assign(n, 1);
  double margin[3];
  for (int d = 0; d < 3; ++d) margin[d] = radius * kernels::lamda_per_length(b, d);
  const double r2max = radius * radius;
  for (int s = 0; s < n; ++s) {
    const double x[3] = {g.px[s], g.py[s], g.pz[s]};
    auto add = [&](int t, double r2) {
      if (t != s && r2 <= r2max) m_list.push_back(t);
    };
    kernels::grid_visit_within(g, x, radius, add);
    m_start[s + 1] = static_cast<int>(m_list.size());
    const double *l = lam + 3 * order[s];
    for (int d = 0; d < 3; ++d)
      if (l[d] - lo[d] < margin[d] || hi[d] - l[d] < margin[d]) m_complete[s] = 0;
  }
}

double SiteLists::radius_now(const kernels::BoxGeom &now) const
{
  // M = H_build * H_now^-1 (both upper triangular): |x_build| <= ||M|| |x_now|
  const double *a = m_box.h, *bi = now.h_inv;
  const double m00 = a[0] * bi[0], m01 = a[0] * bi[5] + a[5] * bi[1], m02 = a[0] * bi[4] + a[5] * bi[3] + a[4] * bi[2];
  const double m11 = a[1] * bi[1], m12 = a[1] * bi[3] + a[3] * bi[2];
  const double m22 = a[2] * bi[2];
  // ||M||_2 <= 1 + ||M - I||_F
  const double e00 = m00 - 1.0, e11 = m11 - 1.0, e22 = m22 - 1.0;
  const double stretch = 1.0 + std::sqrt(e00 * e00 + m01 * m01 + m02 * m02 + e11 * e11 + m12 * m12 + e22 * e22);
  return m_radius / stretch;
}

kernels::SiteListsView SiteLists::view(const kernels::BoxGeom &now) const
{
  kernels::SiteListsView v;
  v.start = m_start.data();
  v.list = m_list.data();
  v.complete = m_complete.data();
  v.radius = radius_now(now);
  return v;
}

}    // namespace reval
