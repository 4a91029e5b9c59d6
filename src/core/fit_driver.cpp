#include "core/fit_driver.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>

namespace reval {

namespace {
std::shared_ptr<const SnapDescriptor> make_descriptor(const FitInput &in)
{
  return std::make_shared<const SnapDescriptor>(in.snap);
}
}    // namespace

FitDriver::FitDriver(const FitInput &in)
    : m_in(in), m_desc(make_descriptor(in)), m_rows(m_desc, in.quadraticflag != 0), m_engine(m_desc)
{
  for (int c = 0; c < m_rows.ncols(); ++c)
    if (!(in.snap.bzeroflag && c % m_rows.block() == 0)) m_fitcols.push_back(c);
  const int nfit = 1 + std::max(0, in.committee);
  m_fits.assign(nfit, LinearFit(nfitted()));
  m_eshift.assign(params().nelements(), 0.0);
  for (const auto &kv : in.eshift) {
    const auto &el = params().elements;
    const auto it = std::find(el.begin(), el.end(), kv.first);
    if (it == el.end()) throw Error(in.path + ": [ESHIFT] " + kv.first + " is not one of the [BISPECTRUM] types");
    m_eshift[it - el.begin()] = kv.second;
  }
}

std::vector<double> FitDriver::row_weights(const FitConfig &c) const
{
  const int n = c.frame.natoms();
  if (c.group < 0 || c.group >= static_cast<int>(m_in.groups.size()))
    throw Error(c.source + ": group index " + std::to_string(c.group) + " out of range");
  const FitGroup &g = m_in.groups[c.group];
  std::vector<double> w(1 + 3 * static_cast<size_t>(n) + 6, 0.0);
  if (m_in.use_energy) w[0] = g.eweight;
  if (m_in.use_force)
    for (int i = 0; i < n; ++i) {
      const double f = g.fweight * (!c.re.empty() && c.re[i] ? m_in.re_fweight : 1.0);
      w[1 + 3 * i] = w[2 + 3 * i] = w[3 + 3 * i] = f;
    }
  if (m_in.use_stress)
    for (int k = 0; k < 6; ++k) w[1 + 3 * static_cast<size_t>(n) + k] = g.vweight;
  return w;
}

void FitDriver::accumulate(const std::vector<FitConfig> &configs, int part, int nparts)
{
  if (nparts < 1 || part < 0 || part >= nparts) throw Error("FitDriver::accumulate: bad part " + std::to_string(part));
  const int ncols = m_rows.ncols();
  int ntrain = 0;
  for (const FitConfig &c : configs) ntrain += c.training ? 1 : 0;
  const int members = nfits() - 1;
  std::vector<std::vector<int>> counts(members);
  for (int m = 0; m < members; ++m) counts[m] = bootstrap_counts(ntrain, m_in.seed, m);

  int t = -1;
  for (const FitConfig &c : configs) {
    if (!c.training) continue;
    ++t;
    if (t % nparts != part) continue;
    const XyzFrame &f = c.frame;
    const int n = f.natoms();
    if (n == 0) throw Error(c.source + ": a configuration without atoms");
    if (!c.re.empty() && static_cast<int>(c.re.size()) != n)
      throw Error(c.source + ": " + std::to_string(c.re.size()) + " RE labels for " + std::to_string(n) + " atoms");
    const std::vector<double> w = row_weights(c);
    const size_t vrow = 1 + 3 * static_cast<size_t>(n);    // first stress row
    const bool energy = m_in.use_energy && w[0] > 0.0;
    bool forces = false;
    if (m_in.use_force)
      for (size_t k = 1; k < vrow && !forces; ++k) forces = w[k] > 0.0;
    const bool stress = m_in.use_stress && w[vrow] > 0.0;
    if (energy && !f.has_energy) throw Error(c.source + ": no energy= (the fit uses energies)");
    if (forces && static_cast<int>(f.forces.size()) != 3 * n)
      throw Error(c.source + ": no forces column (the fit uses forces)");
    if (stress && c.stress.size() != 6) throw Error(c.source + ": no stress (the fit uses stresses)");
    if (!energy && !forces && !stress) continue;

    // rows: [0] energy (per atom), [1 .. 3N] forces, [3N+1 .. 3N+6] stress (bar)
    const int nrow = static_cast<int>(vrow) + 6;
    m_a.assign(static_cast<size_t>(nrow) * ncols, 0.0);
    m_b.assign(nrow, 0.0);
    m_w.assign(nrow, 0.0);
    m_rows.compute(f, energy ? m_a.data() : nullptr, forces ? m_a.data() + ncols : nullptr,
                   stress ? m_a.data() + vrow * ncols : nullptr, nullptr, c.source);
    if (energy) {
      double shift = 0.0;    // the beta0 column of element e's block counts its atoms
      for (int e = 0; e < params().nelements(); ++e) shift += m_a[static_cast<size_t>(e) * block()] * m_eshift[e];
      for (int j = 0; j < ncols; ++j) m_a[j] /= n;
      m_b[0] = (f.energy - shift) / n;
      m_w[0] = w[0] * w[0];
    }
    if (forces)
      for (size_t r = 1; r < vrow; ++r) {
        m_b[r] = f.forces[r - 1];
        m_w[r] = w[r] * w[r];
      }
    if (stress) {
      const double vol = frame_volume(f);
      if (!(vol > 0.0)) throw Error(c.source + ": the cell has no volume (stress rows)");
      for (int k = 0; k < 6; ++k) {
        const size_t r = vrow + k;
        for (int j = 0; j < ncols; ++j) m_a[r * ncols + j] *= kFitSnapBar / vol;
        m_b[r] = -c.stress[k] * kFitSnapBar;    // pressure tensor (bar)
        m_w[r] = w[r] * w[r];
      }
    }
    const double *a = m_a.data();
    const int nfc = nfitted();
    if (nfc != ncols) {    // drop the beta0 columns (bzeroflag = 1)
      m_ac.resize(static_cast<size_t>(nrow) * nfc);
      for (size_t r = 0; r < static_cast<size_t>(nrow); ++r)
        for (int k = 0; k < nfc; ++k) m_ac[r * nfc + k] = m_a[r * ncols + m_fitcols[k]];
      a = m_ac.data();
    }
    try {
      m_fits[0].add_rows(a, m_b.data(), m_w.data(), nrow);
      for (int m = 0; m < members; ++m) {
        const int cnt = counts[m][t];
        if (cnt == 0) continue;
        m_wm.resize(nrow);
        for (int r = 0; r < nrow; ++r) m_wm[r] = m_w[r] * cnt;
        m_fits[1 + m].add_rows(a, m_b.data(), m_wm.data(), nrow);
      }
    } catch (const Error &e) {
      throw Error(c.source + ": " + e.what());
    }
  }
}

std::vector<double> FitDriver::pack() const
{
  std::vector<double> out;
  for (const LinearFit &f : m_fits) {
    const std::vector<double> p = f.pack();
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

void FitDriver::merge_packed(const std::vector<double> &packed)
{
  const size_t one = LinearFit::packed_size(nfitted());
  if (packed.size() != one * m_fits.size())
    throw Error("FitDriver::merge_packed: " + std::to_string(packed.size()) + " values, expected " +
                std::to_string(one * m_fits.size()) + " (a different input?)");
  for (size_t k = 0; k < m_fits.size(); ++k) {
    const std::vector<double> part(packed.begin() + k * one, packed.begin() + (k + 1) * one);
    m_fits[k].merge(LinearFit::unpack(part, nfitted()));
  }
}

std::vector<FitModel> FitDriver::solve() const
{
  std::vector<FitModel> out;
  const int blk = block();
  for (size_t k = 0; k < m_fits.size(); ++k) {
    const LinearFit &f = m_fits[k];
    if (f.nrows() == 0)
      throw Error(m_in.path + (k == 0 ? ": no training rows to fit (no training configuration, or every weight is 0)"
                                      : ": committee member " + std::to_string(k) + " has no training rows"));
    FitModel m;
    m.solution = m_in.solver == FitInput::Solver::ridge ? f.solve_ridge(m_in.ridge_alpha) : f.solve_svd();
    m.coeffs.assign(ncols(), 0.0);
    for (int c = 0; c < nfitted(); ++c) m.coeffs[m_fitcols[c]] = m.solution.x[c];
    for (int e = 0; e < params().nelements(); ++e) m.coeffs[static_cast<size_t>(e) * blk] += m_eshift[e];
    out.push_back(std::move(m));
  }
  return out;
}

SnapModel FitDriver::model(const std::vector<double> &coeffs) const
{
  const int blk = block(), ne = params().nelements();
  if (static_cast<int>(coeffs.size()) != ne * blk)
    throw Error("FitDriver::model: " + std::to_string(coeffs.size()) + " coefficients, expected " +
                std::to_string(ne * blk));
  std::vector<std::vector<double>> per(ne);
  for (int e = 0; e < ne; ++e)
    per[e].assign(coeffs.begin() + static_cast<size_t>(e) * blk, coeffs.begin() + static_cast<size_t>(e + 1) * blk);
  return quadratic() ? SnapModel::quadratic(ncoeff(), per) : SnapModel::linear(ncoeff(), per);
}

FitPrediction FitDriver::predict(const SnapModel &model, const XyzFrame &frame, const std::string &where)
{
  const int n = frame.natoms();
  const std::vector<int> elem = frame_elements(params(), frame, where);
  FitPrediction p;
  p.forces.assign(3 * static_cast<size_t>(n), 0.0);
  p.virial.assign(6, 0.0);
  m_nb.build(frame, params().max_cutoff());
  for (int i = 0; i < n; ++i) {
    frame_short_list(params(), m_nb, elem, i, m_list, m_images);
    m_dedr.resize(3 * static_cast<size_t>(std::max(1, m_list.n)));
    p.energy += m_engine.compute(elem[i], m_list.n, m_list.rij.data(), m_list.jelem.data(), model, m_dedr.data());
    for (int jj = 0; jj < m_list.n; ++jj) {
      const int j = m_list.jatom[jj];
      for (int d = 0; d < 3; ++d) {
        p.forces[3 * i + d] += m_dedr[3 * jj + d];
        p.forces[3 * j + d] -= m_dedr[3 * jj + d];
      }
      // pair virial as LAMMPS' ev_tally_xyz(fij = dedr, -rij), in the rows' Voigt order: W_ab -= rij_a dedr_b
      for (int k = 0; k < 6; ++k) p.virial[k] -= m_list.rij[3 * jj + kVirialA[k]] * m_dedr[3 * jj + kVirialB[k]];
    }
  }
  return p;
}

FitMetrics fit_metrics(FitDriver &driver, const SnapModel &model, const std::vector<FitConfig> &configs)
{
  std::vector<std::string> names;
  for (const FitGroup &g : driver.input().groups) names.push_back(g.name);
  FitMetrics m(names);
  for (const FitConfig &c : configs) {
    if (!c.training && !driver.input().compute_testerrs) continue;
    m.add(c, driver.predict(model, c.frame, c.source));
  }
  return m;
}

}    // namespace reval
