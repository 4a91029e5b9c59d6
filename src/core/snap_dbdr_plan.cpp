#include "core/snap_dbdr_plan.h"

#include "core/error.h"

#include <algorithm>
#include <array>
#include <map>

namespace reval {

namespace {

/// First Z element of block (j1, j2, j) (its row mb = 0), or -1.
int z_block(const kernels::SnapTablesView &t, int j1, int j2, int j)
{
  for (int row = 0; row < t.nzrows; ++row) {
    const kernels::SnapZIndex &q = t.idxz[t.zrow[row]];
    if (q.mb == 0 && q.j1 == j1 && q.j2 == j2 && q.j == j) return t.zrow[row];
  }
  return -1;
}

}    // namespace

SnapDbdrPlan::SnapDbdrPlan(const SnapDescriptor &desc)
{
  const kernels::SnapTablesView &t = desc.view();
  const int n = t.nchannels, nb = t.idxb_max, L = t.twojmax + 1;
  struct Pair {
    int layer, zblock, zpair;
    double factor;
    std::vector<int> target;    // per neighbour channel c
  };
  std::vector<Pair> pairs;
  for (int jjb = 0; jjb < nb; ++jjb) {
    const kernels::SnapBIndex &b = t.idxb[jjb];
    const double j1fac = t.bnormflag ? 1.0 : (b.j + 1) / (b.j1 + 1.0);
    const double j2fac = t.bnormflag ? 1.0 : (b.j + 1) / (b.j2 + 1.0);
    const int blk[3] = {z_block(t, b.j1, b.j2, b.j), z_block(t, b.j, b.j2, b.j1), z_block(t, b.j, b.j1, b.j2)};
    for (int k = 0; k < 3; ++k)
      if (blk[k] < 0) throw Error("SnapDbdrPlan: a Z block of B(" + std::to_string(b.j1) + "," + std::to_string(b.j2) +
                                  "," + std::to_string(b.j) + ") is missing");
    for (int e1 = 0; e1 < n; ++e1)
      for (int e2 = 0; e2 < n; ++e2) {
        Pair p1{b.j, blk[0], e1 * n + e2, 2.0, {}}, p2{b.j1, blk[1], e1 * n + e2, 2.0 * j1fac, {}},
            p3{b.j2, blk[2], e2 * n + e1, 2.0 * j2fac, {}};
        for (int c = 0; c < n; ++c) {
          p1.target.push_back(((e1 * n + e2) * n + c) * nb + jjb);
          p2.target.push_back(((c * n + e2) * n + e1) * nb + jjb);
          p3.target.push_back(((e1 * n + c) * n + e2) * nb + jjb);
        }
        pairs.push_back(p1);
        pairs.push_back(p2);
        pairs.push_back(p3);
      }
  }
  // columns: distinct (layer, Z block, channel pair), ordered by layer, then first appearance
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair &a, const Pair &b) { return a.layer < b.layer; });
  std::vector<int> column_of(pairs.size());
  std::vector<int> first;    // a representative term of each column
  std::map<std::array<int, 3>, int> column;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto ins = column.emplace(std::array<int, 3>{pairs[k].layer, pairs[k].zblock, pairs[k].zpair},
                                    static_cast<int>(first.size()));
    if (ins.second) first.push_back(static_cast<int>(k));
    column_of[k] = ins.first->second;
  }
  const int ncol = static_cast<int>(first.size());
  m_half.resize(L);
  m_pair0.assign(L + 1, 0);
  m_zmat_offset.resize(L);
  for (int l = 0; l < L; ++l) m_half[l] = (l + 1) * ((l + 1) / 2) + (l % 2 == 0 ? l / 2 + 1 : 0);
  for (int col = 0; col < ncol; ++col) ++m_pair0[pairs[first[col]].layer + 1];
  for (int l = 0; l < L; ++l) m_pair0[l + 1] += m_pair0[l];
  int off = 0, maxp = 0;
  for (int l = 0; l < L; ++l) {
    m_zmat_offset[l] = off;
    const int np = m_pair0[l + 1] - m_pair0[l];
    off += 2 * m_half[l] * np;
    maxp = std::max(maxp, np);
  }
  m_term0.assign(ncol + 1, 0);
  std::vector<std::vector<int>> terms(ncol);
  for (std::size_t k = 0; k < pairs.size(); ++k) terms[column_of[k]].push_back(static_cast<int>(k));
  for (int col = 0; col < ncol; ++col) {
    m_zblock.push_back(pairs[first[col]].zblock);
    m_zpair.push_back(pairs[first[col]].zpair);
    for (int k : terms[col]) {
      m_factor.push_back(pairs[k].factor);
      m_target.insert(m_target.end(), pairs[k].target.begin(), pairs[k].target.end());
    }
    m_term0[col + 1] = static_cast<int>(m_factor.size());
  }
  m_view.nlayers = L;
  m_view.npairs = ncol;
  m_view.nterms = static_cast<int>(m_factor.size());
  m_view.zmat_size = off;
  m_view.max_pairs = maxp;
  m_view.half = m_half.data();
  m_view.pair0 = m_pair0.data();
  m_view.zmat_offset = m_zmat_offset.data();
  m_view.zblock = m_zblock.data();
  m_view.zpair = m_zpair.data();
  m_view.term0 = m_term0.data();
  m_view.factor = m_factor.data();
  m_view.target = m_target.data();
}

}    // namespace reval
