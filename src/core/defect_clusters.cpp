#include "core/defect_clusters.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace reval {

using kernels::BoxGeom;

namespace {

/// Maximum periodic images per dimension that a distance may reach (see the header).
constexpr double kMaxBoxThicknesses = 16.0;

struct Edge {
  int i, j;          // canonical indices, i < j
  int shift[3];      // image of j as seen from i
  double r2;
};

bool shift_less(const int a[3], const int b[3])
{
  return std::lexicographical_compare(a, a + 3, b, b + 3);
}

}    // namespace

ClusterResult cluster_defects(const std::vector<Defect> &d, const BoxGeom &box, const ClusterParams &p)
{
  return cluster_defects(d.data(), d.size(), box, p);
}

ClusterResult cluster_defects(const Defect *d, size_t nin, const BoxGeom &box, const ClusterParams &p)
{
  if (!(p.distance > 0.0) || !std::isfinite(p.distance))
    throw Error("defect clusters: cluster distance must be a positive finite number");
  if (p.histo < 1) throw Error("defect clusters: histogram needs at least 1 row");
  if (nin > static_cast<size_t>(1) << 30) throw Error("defect clusters: too many defects");
  const int n = static_cast<int>(nin);

  ClusterResult res;
  res.histogram.assign(p.histo, 0);
  res.label.assign(n, 0);

  double t[3];    // lamda extent of the distance along each dimension
  for (int k = 0; k < 3; ++k) {
    t[k] = p.distance * kernels::lamda_per_length(box, k);
    if (box.periodic[k] && !(t[k] < kMaxBoxThicknesses))
      throw Error("defect clusters: cluster distance " + std::to_string(p.distance) +
                  " is at least 16 box thicknesses along periodic dimension " + std::string(1, "xyz"[k]));
  }
  if (n == 0) return res;

  // canonical order: increasing key
  std::vector<int> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::sort(perm.begin(), perm.end(), [d](int a, int b) { return d[a].key < d[b].key; });
  for (int c = 0; c < n; ++c) {
    const Defect &df = d[perm[c]];
    if (c > 0 && d[perm[c - 1]].key == df.key)
      throw Error("defect clusters: duplicate defect key " + std::to_string(df.key));
    if (df.count < 1) throw Error("defect clusters: defect count must be >= 1 (key " + std::to_string(df.key) + ")");
    if (!std::isfinite(df.x[0]) || !std::isfinite(df.x[1]) || !std::isfinite(df.x[2]))
      throw Error("defect clusters: non-finite defect position (key " + std::to_string(df.key) + ")");
    const int kind = static_cast<int>(df.kind);
    if (kind < 0 || kind > 2) throw Error("defect clusters: unknown defect kind (key " + std::to_string(df.key) + ")");
  }

  // lamda coordinates in canonical order, wrapped along periodic dimensions
  std::vector<double> lam(3 * static_cast<size_t>(n));
  for (int c = 0; c < n; ++c) {
    double *l = &lam[3 * c];
    const double *x = d[perm[c]].x;
    if (p.lamda) {
      l[0] = x[0];
      l[1] = x[1];
      l[2] = x[2];
    } else {
      kernels::x2lamda(box, x, l);
    }
    for (int k = 0; k < 3; ++k) {
      if (!std::isfinite(l[k])) throw Error("defect clusters: non-finite lamda coordinate (degenerate box?)");
      if (box.periodic[k]) l[k] = kernels::wrap_unit(l[k]);
    }
  }

  // cell grid in lamda space: bins at least the distance thick (a little more, against rounding)
  double lo[3], bs[3];
  int nb[3], reach[3];
  for (int k = 0; k < 3; ++k) {
    double ext;
    if (box.periodic[k]) {
      lo[k] = 0.0;
      ext = 1.0;
    } else {
      double mn = lam[k], mx = lam[k];
      for (int c = 1; c < n; ++c) {
        mn = std::min(mn, lam[3 * c + k]);
        mx = std::max(mx, lam[3 * c + k]);
      }
      lo[k] = mn;
      ext = mx - mn;
    }
    const double want = t[k] * (1.0 + 1e-6);
    const double nbf = ext > 0.0 ? std::floor(ext / want) : 1.0;
    nb[k] = nbf >= 1.0 ? static_cast<int>(std::min(nbf, 1048576.0)) : 1;
    bs[k] = ext > 0.0 ? ext : 1.0;    // provisional, fixed below
  }
  const double max_bins = std::max(64.0, 2.0 * n);
  while (static_cast<double>(nb[0]) * nb[1] * nb[2] > max_bins) {
    const int k = static_cast<int>(std::max_element(nb, nb + 3) - nb);
    nb[k] = std::max(1, nb[k] / 2);
  }
  for (int k = 0; k < 3; ++k) {
    bs[k] = bs[k] / nb[k];
    if (!box.periodic[k] && nb[k] == 1) {
      reach[k] = 0;    // a single bin holds every defect of this dimension
    } else {
      const double r = std::ceil(t[k] * (1.0 + 1e-9) / bs[k]);
      reach[k] = static_cast<int>(std::min(r, box.periodic[k] ? 1e6 : static_cast<double>(nb[k] - 1)));
    }
  }

  std::vector<int> cell(n);
  const size_t nbins = static_cast<size_t>(nb[0]) * nb[1] * nb[2];
  std::vector<int> start(nbins + 1, 0), slot(n);
  for (int c = 0; c < n; ++c) {
    int b[3];
    for (int k = 0; k < 3; ++k) b[k] = kernels::clamped_floor_index((lam[3 * c + k] - lo[k]) / bs[k], nb[k]);
    cell[c] = (b[2] * nb[1] + b[1]) * nb[0] + b[0];
    ++start[cell[c] + 1];
  }
  for (size_t b = 0; b < nbins; ++b) start[b + 1] += start[b];
  {
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (int c = 0; c < n; ++c) slot[fill[cell[c]]++] = c;    // canonical order inside each bin
  }

  // candidate pairs: every (j, image) in the bins within reach, one bin offset = one (bin, image)
  const double r2max = p.distance * p.distance;
  std::vector<Edge> edges;
  std::vector<unsigned char> self_wrap(n, 0);
  for (int c = 0; c < n; ++c) {
    const int bc[3] = {cell[c] % nb[0], (cell[c] / nb[0]) % nb[1], cell[c] / (nb[0] * nb[1])};
    int o[3];
    for (o[2] = -reach[2]; o[2] <= reach[2]; ++o[2]) {
      for (o[1] = -reach[1]; o[1] <= reach[1]; ++o[1]) {
        for (o[0] = -reach[0]; o[0] <= reach[0]; ++o[0]) {
          int tb[3], shift[3];
          bool skip = false;
          for (int k = 0; k < 3; ++k) {
            const int v = bc[k] + o[k];
            if (box.periodic[k]) {
              const int q = v >= 0 ? v / nb[k] : -((-v + nb[k] - 1) / nb[k]);    // floor division
              shift[k] = q;
              tb[k] = v - q * nb[k];
            } else {
              if (v < 0 || v >= nb[k]) skip = true;
              shift[k] = 0;
              tb[k] = v;
            }
          }
          if (skip) continue;
          const int bin = (tb[2] * nb[1] + tb[1]) * nb[0] + tb[0];
          const bool zero_shift = shift[0] == 0 && shift[1] == 0 && shift[2] == 0;
          for (int s = start[bin]; s < start[bin + 1]; ++s) {
            const int j = slot[s];
            if (j < c) continue;    // each pair once, from its smaller canonical index
            if (j == c && zero_shift) continue;
            double dv[3];
            lamda_delta_cartesian(box, &lam[3 * c], &lam[3 * j], shift, dv);
            const double r2 = dv[0] * dv[0] + dv[1] * dv[1] + dv[2] * dv[2];
            if (!(r2 < r2max)) continue;
            if (j == c) {
              self_wrap[c] = 1;
            } else {
              edges.push_back(Edge{c, j, {shift[0], shift[1], shift[2]}, r2});
            }
          }
        }
      }
    }
  }

  // one edge per pair: the closest image (ties: smallest shift)
  std::sort(edges.begin(), edges.end(), [](const Edge &a, const Edge &b) {
    if (a.i != b.i) return a.i < b.i;
    if (a.j != b.j) return a.j < b.j;
    if (a.r2 != b.r2) return a.r2 < b.r2;
    return shift_less(a.shift, b.shift);
  });
  edges.erase(std::unique(edges.begin(), edges.end(), [](const Edge &a, const Edge &b) { return a.i == b.i && a.j == b.j; }),
              edges.end());

  // adjacency (both directions), neighbours in increasing canonical index = increasing key
  std::vector<int> adj_start(n + 1, 0);
  for (const Edge &e : edges) {
    ++adj_start[e.i + 1];
    ++adj_start[e.j + 1];
  }
  for (int c = 0; c < n; ++c) adj_start[c + 1] += adj_start[c];
  std::vector<int> adj_node(2 * edges.size()), adj_shift(6 * edges.size());
  {
    // edges are sorted by (i, j): filling node i's list in edge order gives increasing j; node j's list
    // receives i in increasing i as well, but the two sources interleave, so sort each list afterwards
    std::vector<int> fill(adj_start.begin(), adj_start.end() - 1);
    for (const Edge &e : edges) {
      int a = fill[e.i]++;
      adj_node[a] = e.j;
      for (int k = 0; k < 3; ++k) adj_shift[3 * a + k] = e.shift[k];
      a = fill[e.j]++;
      adj_node[a] = e.i;
      for (int k = 0; k < 3; ++k) adj_shift[3 * a + k] = -e.shift[k];
    }
    std::vector<int> idx;
    std::vector<int> tn, ts;
    for (int c = 0; c < n; ++c) {
      const int b = adj_start[c], e = adj_start[c + 1];
      idx.resize(e - b);
      std::iota(idx.begin(), idx.end(), b);
      std::sort(idx.begin(), idx.end(), [&](int x, int y) { return adj_node[x] < adj_node[y]; });
      tn.resize(e - b);
      ts.resize(3 * (e - b));
      for (int q = 0; q < e - b; ++q) {
        tn[q] = adj_node[idx[q]];
        for (int k = 0; k < 3; ++k) ts[3 * q + k] = adj_shift[3 * idx[q] + k];
      }
      std::copy(tn.begin(), tn.end(), adj_node.begin() + b);
      std::copy(ts.begin(), ts.end(), adj_shift.begin() + 3 * b);
    }
  }

  // breadth-first spanning trees from the smallest key of each component: ids in root order
  std::vector<int64_t> cid(n, 0);
  std::vector<long long> img(3 * static_cast<size_t>(n), 0);
  std::vector<int> queue;
  queue.reserve(n);
  for (int root = 0; root < n; ++root) {
    if (cid[root]) continue;
    DefectCluster cl;
    cl.id = static_cast<int64_t>(res.clusters.size()) + 1;
    cl.first_key = d[perm[root]].key;
    cid[root] = cl.id;
    queue.clear();
    queue.push_back(root);
    for (size_t h = 0; h < queue.size(); ++h) {
      const int u = queue[h];
      if (self_wrap[u]) cl.wraps = 1;
      for (int a = adj_start[u]; a < adj_start[u + 1]; ++a) {
        const int v = adj_node[a];
        long long want[3];
        for (int k = 0; k < 3; ++k) want[k] = img[3 * u + k] + adj_shift[3 * a + k];
        if (!cid[v]) {
          cid[v] = cl.id;
          for (int k = 0; k < 3; ++k) img[3 * v + k] = want[k];
          queue.push_back(v);
        } else if (want[0] != img[3 * v] || want[1] != img[3 * v + 1] || want[2] != img[3 * v + 2]) {
          cl.wraps = 1;
        }
      }
    }
    res.clusters.push_back(cl);
  }

  // sums in canonical (key) order
  const size_t ncl = res.clusters.size();
  std::vector<double> sum(3 * ncl, 0.0);
  for (int c = 0; c < n; ++c) {
    const Defect &df = d[perm[c]];
    DefectCluster &cl = res.clusters[cid[c] - 1];
    cl.size += df.count;
    cl.members += 1;
    if (df.kind == DefectKind::Vacancy) cl.vacancies += df.count;
    else if (df.kind == DefectKind::Interstitial) cl.interstitials += df.count;
    else cl.migrating += df.count;
    const double w = static_cast<double>(df.count);
    for (int k = 0; k < 3; ++k) sum[3 * (cid[c] - 1) + k] += w * (lam[3 * c + k] + static_cast<double>(img[3 * c + k]));
    res.label[perm[c]] = cid[c];
  }
  for (size_t q = 0; q < ncl; ++q) {
    DefectCluster &cl = res.clusters[q];
    double l[3];
    for (int k = 0; k < 3; ++k) {
      l[k] = sum[3 * q + k] / static_cast<double>(cl.size);
      if (box.periodic[k]) l[k] = kernels::wrap_unit(l[k]);
    }
    if (p.lamda) {
      for (int k = 0; k < 3; ++k) cl.centre[k] = l[k];
    } else {
      kernels::lamda2x(box, l, cl.centre);
    }
    res.largest = std::max(res.largest, cl.size);
    const int64_t row = std::min<int64_t>(cl.size, p.histo) - 1;
    ++res.histogram[row];
  }
  return res;
}

}    // namespace reval
