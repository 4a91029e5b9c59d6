#include "core/frame_images.h"

#include "core/frame_cell.h"

#include <algorithm>
#include <cmath>

namespace reval {

double cell_perpendicular_width(const Eigen::Matrix3d &c, int d)
{
  return std::fabs(c.determinant()) / c.col((d + 1) % 3).cross(c.col((d + 2) % 3)).norm();
}

void images_within(const XyzFrame &w, const Eigen::Vector3d &centre, double r, std::vector<FrameImage> &out)
{
  out.clear();
  const Eigen::Matrix3d c = frame_cell(w);
  const Eigen::Matrix3d ci = c.inverse();
  int k[3];
  for (int d = 0; d < 3; ++d) k[d] = w.pbc[d] ? static_cast<int>(std::ceil(r / cell_perpendicular_width(c, d))) + 1 : 0;
  const double r2 = r * r;
  for (int i = 0; i < w.natoms(); ++i) {
    // nearest image first (fractional displacement in [-1/2, 1/2] along periodic directions), then shifts
    Eigen::Vector3d f = ci * (Eigen::Vector3d(w.pos[3 * i], w.pos[3 * i + 1], w.pos[3 * i + 2]) - centre);
    for (int d = 0; d < 3; ++d)
      if (w.pbc[d]) f[d] -= std::round(f[d]);
    for (int a = -k[0]; a <= k[0]; ++a)
      for (int b = -k[1]; b <= k[1]; ++b)
        for (int e = -k[2]; e <= k[2]; ++e) {
          const Eigen::Vector3d d = c * (f + Eigen::Vector3d(a, b, e));
          if (d.squaredNorm() <= r2) out.push_back({i, d});
        }
  }
}

void FrameNeighbours::build(const XyzFrame &w, double r)
{
  m_r = r;
  m_x.clear();
  m_atom.clear();
  const int n = w.natoms();
  m_home.assign(n, -1);
  const Eigen::Matrix3d c = frame_cell(w);
  const Eigen::Matrix3d ci = c.inverse();
  int k[3];
  double shell[3];
  for (int d = 0; d < 3; ++d) {
    shell[d] = w.pbc[d] ? r / cell_perpendicular_width(c, d) : 0.0;
    k[d] = w.pbc[d] ? static_cast<int>(std::ceil(shell[d])) : 0;
  }
  for (int i = 0; i < n; ++i) {
    Eigen::Vector3d f = ci * Eigen::Vector3d(w.pos[3 * i], w.pos[3 * i + 1], w.pos[3 * i + 2]);
    for (int d = 0; d < 3; ++d)
      if (w.pbc[d]) {
        f[d] -= std::floor(f[d]);
        if (f[d] >= 1.0) f[d] = 0.0;    // -tiny wraps to 1.0 in floating point
      }
    for (int a = -k[0]; a <= k[0]; ++a)
      for (int b = -k[1]; b <= k[1]; ++b)
        for (int e = -k[2]; e <= k[2]; ++e) {
          const Eigen::Vector3d g = f + Eigen::Vector3d(a, b, e);
          bool keep = true;
          for (int d = 0; d < 3; ++d)
            if (w.pbc[d] && (g[d] < -shell[d] || g[d] > 1.0 + shell[d])) keep = false;
          if (!keep) continue;
          if (a == 0 && b == 0 && e == 0) m_home[i] = static_cast<int>(m_atom.size());
          const Eigen::Vector3d x = c * g;
          m_x.insert(m_x.end(), {x[0], x[1], x[2]});
          m_atom.push_back(i);
        }
  }
  // Cartesian bins of side >= r over the ghosts' bounding box
  const int ng = static_cast<int>(m_atom.size());
  double hi[3];
  for (int d = 0; d < 3; ++d) {
    m_lo[d] = hi[d] = ng ? m_x[d] : 0.0;
    for (int g = 0; g < ng; ++g) {
      m_lo[d] = std::min(m_lo[d], m_x[3 * g + d]);
      hi[d] = std::max(hi[d], m_x[3 * g + d]);
    }
    m_nb[d] = std::max(1, std::min(1000, static_cast<int>((hi[d] - m_lo[d]) / r)));
    m_w[d] = (hi[d] - m_lo[d]) / m_nb[d];    // >= r
  }
  const int nbins = m_nb[0] * m_nb[1] * m_nb[2];
  m_start.assign(nbins + 1, 0);
  std::vector<int> bin(ng);
  int cc[3];
  for (int g = 0; g < ng; ++g) ++m_start[(bin[g] = bin_index(&m_x[3 * g], cc)) + 1];
  for (int b = 0; b < nbins; ++b) m_start[b + 1] += m_start[b];
  m_order.assign(ng, 0);
  std::vector<int> fill(m_start.begin(), m_start.end() - 1);
  for (int g = 0; g < ng; ++g) m_order[fill[bin[g]]++] = g;
}

int FrameNeighbours::bin_index(const double x[3], int c[3]) const
{
  for (int d = 0; d < 3; ++d) {
    const int v = m_nb[d] > 1 ? static_cast<int>((x[d] - m_lo[d]) / m_w[d]) : 0;
    c[d] = std::max(0, std::min(m_nb[d] - 1, v));
  }
  return (c[2] * m_nb[1] + c[1]) * m_nb[0] + c[0];
}

void FrameNeighbours::around(int i, std::vector<FrameImage> &out) const
{
  out.clear();
  const double *xi = &m_x[3 * static_cast<size_t>(m_home[i])];
  int c[3];
  bin_index(xi, c);
  const double r2 = m_r * m_r;
  for (int z = std::max(0, c[2] - 1); z <= std::min(m_nb[2] - 1, c[2] + 1); ++z)
    for (int y = std::max(0, c[1] - 1); y <= std::min(m_nb[1] - 1, c[1] + 1); ++y)
      for (int x = std::max(0, c[0] - 1); x <= std::min(m_nb[0] - 1, c[0] + 1); ++x) {
        const int b = (z * m_nb[1] + y) * m_nb[0] + x;
        for (int s = m_start[b]; s < m_start[b + 1]; ++s) {
          const int g = m_order[s];
          const Eigen::Vector3d d(m_x[3 * g] - xi[0], m_x[3 * g + 1] - xi[1], m_x[3 * g + 2] - xi[2]);
          if (d.squaredNorm() <= r2) out.push_back({m_atom[g], d});
        }
      }
}

}    // namespace reval
