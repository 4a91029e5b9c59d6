/// @file snap_descriptor.cpp
/// Tables of the SNAP bispectrum (Thompson et al., J. Comp. Phys. 285, 316 (2015); Clebsch-Gordan
/// coefficients by the quasi-binomial formula of Varshalovich, Moskalev, Khersonskii 8.2.1(3)).
/// Ordering of every list matches LAMMPS 29Sep2021 ML-SNAP, so B and beta vectors are interchangeable.
#include "core/snap_descriptor.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace reval {

namespace {

std::string fmt_double(double v)
{
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.15g", v);
  double back = std::strtod(buf, nullptr);
  if (back != v) std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

double factorial(int n)
{
  double f = 1.0;
  for (int k = 2; k <= n; ++k) f *= k;
  return f;
}

// VMK 8.2(1)
double deltacg(int j1, int j2, int j)
{
  const double sfaccg = factorial((j1 + j2 + j) / 2 + 1);
  return std::sqrt(factorial((j1 + j2 - j) / 2) * factorial((j1 - j2 + j) / 2) * factorial((-j1 + j2 + j) / 2) /
                   sfaccg);
}

// Clebsch-Gordan coefficient C^{c gamma}_{a alpha b beta} with doubled labels j1, j2, j and
// column offsets m1, m2 (alpha = m1 - j1/2, beta = m2 - j2/2), quasi-binomial formula VMK 8.2.1(3).
double clebsch_gordan(int j1, int j2, int j, int m1, int m2)
{
  const int aa2 = 2 * m1 - j1;
  const int bb2 = 2 * m2 - j2;
  const int m = (aa2 + bb2 + j) / 2;
  if (m < 0 || m > j) return 0.0;
  double sum = 0.0;
  const int zmin = std::max(0, std::max(-(j - j2 + aa2) / 2, -(j - j1 - bb2) / 2));
  const int zmax = std::min((j1 + j2 - j) / 2, std::min((j1 - aa2) / 2, (j2 + bb2) / 2));
  for (int z = zmin; z <= zmax; ++z) {
    const double sign = (z % 2) ? -1.0 : 1.0;
    sum += sign / (factorial(z) * factorial((j1 + j2 - j) / 2 - z) * factorial((j1 - aa2) / 2 - z) *
                   factorial((j2 + bb2) / 2 - z) * factorial((j - j2 + aa2) / 2 + z) *
                   factorial((j - j1 - bb2) / 2 + z));
  }
  const int cc2 = 2 * m - j;
  const double norm = std::sqrt(factorial((j1 + aa2) / 2) * factorial((j1 - aa2) / 2) * factorial((j2 + bb2) / 2) *
                                factorial((j2 - bb2) / 2) * factorial((j + cc2) / 2) * factorial((j - cc2) / 2) *
                                (j + 1));
  return sum * deltacg(j1, j2, j) * norm;
}

}    // namespace

int snap_ncoeff_per_triple(int twojmax)
{
  int n = 0;
  for (int j1 = 0; j1 <= twojmax; ++j1)
    for (int j2 = 0; j2 <= j1; ++j2)
      for (int j = j1 - j2; j <= std::min(twojmax, j1 + j2); j += 2)
        if (j >= j1) ++n;
  return n;
}

double SnapParams::max_cutoff() const
{
  double c = 0.0;
  for (int i = 0; i < nelements(); ++i)
    for (int j = 0; j < nelements(); ++j) c = std::max(c, cutoff(i, j));
  return c;
}

int SnapParams::ncoeff() const
{
  const int n = chemflag ? nelements() : 1;
  return snap_ncoeff_per_triple(twojmax) * n * n * n;
}

void SnapParams::validate(const std::string &where) const
{
  auto fail = [&](const std::string &what) { throw Error(where + ": " + what); };
  if (!std::isfinite(rcutfac) || rcutfac <= 0.0) fail("rcutfac must be a positive number, got " + fmt_double(rcutfac));
  if (twojmax < 0 || twojmax > 30) fail("twojmax must be in 0..30, got " + std::to_string(twojmax));
  if (!std::isfinite(rfac0) || rfac0 <= 0.0 || rfac0 > 1.0) fail("rfac0 must be in (0, 1], got " + fmt_double(rfac0));
  if (!std::isfinite(rmin0) || rmin0 < 0.0) fail("rmin0 must be >= 0, got " + fmt_double(rmin0));
  const std::pair<const char *, int> flags[] = {{"switchflag", switchflag}, {"bzeroflag", bzeroflag},
                                                {"chemflag", chemflag},     {"bnormflag", bnormflag},
                                                {"wselfallflag", wselfallflag}, {"switchinnerflag", switchinnerflag}};
  for (const auto &f : flags)
    if (f.second != 0 && f.second != 1) fail(std::string(f.first) + " must be 0 or 1, got " + std::to_string(f.second));
  if (elements.empty()) fail("no elements are defined");
  if (radelem.size() != elements.size() || wjelem.size() != elements.size())
    fail("the element list has " + std::to_string(elements.size()) + " names but " + std::to_string(radelem.size()) +
         " radii and " + std::to_string(wjelem.size()) + " weights");
  std::set<std::string> seen;
  for (int i = 0; i < nelements(); ++i) {
    if (!seen.insert(elements[i]).second) fail("element " + elements[i] + " is listed twice");
    if (!std::isfinite(radelem[i]) || radelem[i] <= 0.0)
      fail("radius of element " + elements[i] + " must be positive, got " + fmt_double(radelem[i]));
    if (!std::isfinite(wjelem[i])) fail("weight of element " + elements[i] + " is not finite");
  }
  if (switchinnerflag) {
    if (sinnerelem.size() != elements.size() || dinnerelem.size() != elements.size())
      fail("switchinnerflag 1 needs one sinner and one dinner value per element (" + std::to_string(elements.size()) +
           "), got " + std::to_string(sinnerelem.size()) + " and " + std::to_string(dinnerelem.size()));
    for (int i = 0; i < nelements(); ++i) {
      if (!std::isfinite(sinnerelem[i])) fail("sinner of element " + elements[i] + " is not finite");
      if (!std::isfinite(dinnerelem[i]) || dinnerelem[i] <= 0.0)
        fail("dinner of element " + elements[i] + " must be positive, got " + fmt_double(dinnerelem[i]));
    }
  } else if (!sinnerelem.empty() || !dinnerelem.empty()) {
    fail("sinner / dinner values are given but switchinnerflag is 0 (LAMMPS rule: they need switchinnerflag 1)");
  }
  // the descriptor count must fit the int sizes of the tables (and the 10^7 bound of the file readers)
  const long long nchem = chemflag ? nelements() : 1;
  const long long ndesc = nchem > 1000 ? kMaxSnapDescriptors + 1 : snap_ncoeff_per_triple(twojmax) * nchem * nchem * nchem;
  if (ndesc > kMaxSnapDescriptors)
    fail("twojmax " + std::to_string(twojmax) + (chemflag ? " with chemflag and " + std::to_string(nelements()) +
                                                                 " elements" : std::string()) +
         " gives " + (nchem > 1000 ? std::string("too many") : std::to_string(ndesc)) +
         " descriptors per atom, more than the " +
         std::to_string(kMaxSnapDescriptors) + " supported");
  for (int i = 0; i < nelements(); ++i)
    for (int j = 0; j < nelements(); ++j)
      if (!(cutoff(i, j) > rmin0 && std::isfinite(cutoff(i, j))))
        fail("rmin0 (" + fmt_double(rmin0) + ") must be below the cutoff of " + elements[i] + "-" + elements[j] + " (" +
             fmt_double(cutoff(i, j)) + " Å)");
}

std::string SnapParams::difference(const SnapParams &o) const
{
  auto d = [](const char *name, double a, double b) -> std::string {
    return a == b ? std::string() : std::string(name) + " differs: " + fmt_double(a) + " vs " + fmt_double(b);
  };
  auto di = [](const char *name, int a, int b) -> std::string {
    return a == b ? std::string() : std::string(name) + " differs: " + std::to_string(a) + " vs " + std::to_string(b);
  };
  for (const std::string &s : {d("rcutfac", rcutfac, o.rcutfac), di("twojmax", twojmax, o.twojmax),
                               d("rfac0", rfac0, o.rfac0), d("rmin0", rmin0, o.rmin0),
                               di("switchflag", switchflag, o.switchflag), di("bzeroflag", bzeroflag, o.bzeroflag),
                               di("chemflag", chemflag, o.chemflag), di("bnormflag", bnormflag, o.bnormflag),
                               di("wselfallflag", wselfallflag, o.wselfallflag),
                               di("switchinnerflag", switchinnerflag, o.switchinnerflag)})
    if (!s.empty()) return s;
  auto list = [](const std::vector<std::string> &v) {
    std::string s;
    for (const auto &e : v) s += (s.empty() ? "" : " ") + e;
    return "(" + s + ")";
  };
  if (elements != o.elements) return "element lists differ: " + list(elements) + " vs " + list(o.elements);
  for (int i = 0; i < nelements(); ++i) {
    const std::string name = "radius of " + elements[i], wname = "weight of " + elements[i];
    std::string s = d(name.c_str(), radelem[i], o.radelem[i]);
    if (s.empty()) s = d(wname.c_str(), wjelem[i], o.wjelem[i]);
    const auto at = [i](const std::vector<double> &v) { return i < static_cast<int>(v.size()) ? v[i] : 0.0; };
    const std::string sname = "sinner of " + elements[i], dname = "dinner of " + elements[i];
    if (s.empty()) s = d(sname.c_str(), at(sinnerelem), at(o.sinnerelem));
    if (s.empty()) s = d(dname.c_str(), at(dinnerelem), at(o.dinnerelem));
    if (!s.empty()) return s;
  }
  return std::string();
}

SnapDescriptor::SnapDescriptor(const SnapParams &params) : m_params(params)
{
  m_params.validate("SNAP descriptor");
  build();
}

void SnapDescriptor::component(int k, int &j1, int &j2, int &j) const
{
  if (k < 0 || k >= static_cast<int>(m_idxb.size()))
    throw Error("SnapDescriptor::component: index " + std::to_string(k) + " is outside 0.." +
                std::to_string(m_idxb.size() - 1));
  j1 = m_idxb[k].j1;
  j2 = m_idxb[k].j2;
  j = m_idxb[k].j;
}

void SnapDescriptor::build()
{
  const int tj = m_params.twojmax;
  const int jdim = tj + 1;

  // U layers
  m_idxu_block.assign(jdim, 0);
  int nu = 0;
  for (int j = 0; j <= tj; ++j) {
    m_idxu_block[j] = nu;
    nu += (j + 1) * (j + 1);
  }

  // Clebsch-Gordan blocks (j1 >= j2, j in steps of 2)
  std::vector<int> idxcg_block(jdim * jdim * jdim, -1);
  m_cglist.clear();
  for (int j1 = 0; j1 <= tj; ++j1)
    for (int j2 = 0; j2 <= j1; ++j2)
      for (int j = j1 - j2; j <= std::min(tj, j1 + j2); j += 2) {
        const int off = static_cast<int>(m_cglist.size());
        idxcg_block[(j1 * jdim + j2) * jdim + j] = off;
        for (int m1 = 0; m1 <= j1; ++m1)
          for (int m2 = 0; m2 <= j2; ++m2) m_cglist.push_back(clebsch_gordan(j1, j2, j, m1, m2));
      }

  // sqrt(p/q)
  const int jdimpq = tj + 2;
  m_rootpq.assign(jdimpq * jdimpq, 0.0);
  for (int p = 1; p <= tj; ++p)
    for (int q = 1; q <= tj; ++q) m_rootpq[p * jdimpq + q] = std::sqrt(static_cast<double>(p) / q);

  // bispectrum list (j >= j1 >= j2) and its reverse index
  std::vector<int> idxb_block(jdim * jdim * jdim, -1);
  m_idxb.clear();
  for (int j1 = 0; j1 <= tj; ++j1)
    for (int j2 = 0; j2 <= j1; ++j2)
      for (int j = j1 - j2; j <= std::min(tj, j1 + j2); j += 2)
        if (j >= j1) {
          idxb_block[(j1 * jdim + j2) * jdim + j] = static_cast<int>(m_idxb.size());
          m_idxb.push_back(kernels::SnapBIndex{j1, j2, j, 0, m_idxu_block[j]});
        }

  // Z list: all (j1 >= j2, j), rows mb <= j/2
  std::vector<int> idxz_block(jdim * jdim * jdim, -1);
  m_idxz.clear();
  for (int j1 = 0; j1 <= tj; ++j1)
    for (int j2 = 0; j2 <= j1; ++j2)
      for (int j = j1 - j2; j <= std::min(tj, j1 + j2); j += 2) {
        idxz_block[(j1 * jdim + j2) * jdim + j] = static_cast<int>(m_idxz.size());
        // which B this Z carries the derivative of (B(j1,j2,j) needs j >= j1 >= j2; use symmetry)
        int ycase, yjjb;
        double yfac;
        if (j >= j1) {
          ycase = 0;
          yjjb = idxb_block[(j1 * jdim + j2) * jdim + j];
          yfac = (j1 == j) ? ((j2 == j) ? 3.0 : 2.0) : 1.0;
        } else if (j >= j2) {
          ycase = 1;
          yjjb = idxb_block[(j * jdim + j2) * jdim + j1];
          yfac = (j2 == j) ? 2.0 : 1.0;
        } else {
          ycase = 2;
          yjjb = idxb_block[(j2 * jdim + j) * jdim + j1];
          yfac = 1.0;
        }
        if (!m_params.bnormflag && j1 > j) yfac *= (j1 + 1) / (j + 1.0);
        for (int mb = 0; 2 * mb <= j; ++mb)
          for (int ma = 0; ma <= j; ++ma) {
            kernels::SnapZIndex q;
            q.j1 = j1;
            q.j2 = j2;
            q.j = j;
            q.ma = ma;
            q.mb = mb;
            q.ma1min = std::max(0, (2 * ma - j - j2 + j1) / 2);
            q.ma2max = (2 * ma - j - (2 * q.ma1min - j1) + j2) / 2;
            q.na = std::min(j1, (2 * ma - j + j2 + j1) / 2) - q.ma1min + 1;
            q.mb1min = std::max(0, (2 * mb - j - j2 + j1) / 2);
            q.mb2max = (2 * mb - j - (2 * q.mb1min - j1) + j2) / 2;
            q.nb = std::min(j1, (2 * mb - j + j2 + j1) / 2) - q.mb1min + 1;
            q.jju = m_idxu_block[j] + (j + 1) * mb + ma;
            q.icg = idxcg_block[(j1 * jdim + j2) * jdim + j];
            q.ycase = ycase;
            q.yjjb = yjjb;
            q.yfac = yfac;
            m_idxz.push_back(q);
          }
      }
  for (auto &b : m_idxb) b.jjz = idxz_block[(b.j1 * jdim + b.j2) * jdim + b.j];
  m_zrow.clear();
  for (int jjz = 0; jjz < static_cast<int>(m_idxz.size()); ++jjz)
    if (m_idxz[jjz].ma == 0) m_zrow.push_back(jjz);

  // B of an isolated atom (U = wself * identity)
  const double wself = 1.0;
  m_bzero.assign(jdim, 0.0);
  for (int j = 0; j <= tj; ++j)
    m_bzero[j] = m_params.bnormflag ? wself * wself * wself : wself * wself * wself * (j + 1);

  // orbits of identical components under element permutations (chemflag)
  const int nc = m_params.chemflag ? m_params.nelements() : 1;
  const int nb = static_cast<int>(m_idxb.size());
  m_orbit_start.assign(1, 0);
  m_orbit.clear();
  for (int it = 0; it < nc * nc * nc; ++it)
    for (int jjb = 0; jjb < nb; ++jjb) {
      const kernels::SnapBIndex &q = m_idxb[jjb];
      std::vector<int> orbit{it};
      for (std::size_t o = 0; o < orbit.size(); ++o) {
        const int a = orbit[o] / (nc * nc), b = (orbit[o] / nc) % nc, c = orbit[o] % nc;
        std::vector<int> images;
        if (q.j1 == q.j) images.push_back((c * nc + b) * nc + a);
        if (q.j1 == q.j2) images.push_back((b * nc + a) * nc + c);
        for (int im : images)
          if (std::find(orbit.begin(), orbit.end(), im) == orbit.end()) orbit.push_back(im);
      }
      std::sort(orbit.begin(), orbit.end());
      for (int o : orbit) m_orbit.push_back(o * nb + jjb);
      m_orbit_start.push_back(static_cast<int>(m_orbit.size()));
    }

  // inner switching parameters per element (zeros, never read, without switchinnerflag)
  m_sinner.assign(m_params.nelements(), 0.0);
  m_dinner.assign(m_params.nelements(), 0.0);
  if (m_params.switchinnerflag) {
    m_sinner = m_params.sinnerelem;
    m_dinner = m_params.dinnerelem;
  }

  kernels::SnapTablesView &v = m_view;
  v.twojmax = tj;
  v.nchannels = m_params.chemflag ? m_params.nelements() : 1;
  v.idxu_max = nu;
  v.idxz_max = static_cast<int>(m_idxz.size());
  v.idxb_max = static_cast<int>(m_idxb.size());
  v.ncoeff = v.idxb_max * v.nchannels * v.nchannels * v.nchannels;
  v.rfac0 = m_params.rfac0;
  v.rmin0 = m_params.rmin0;
  v.wself = wself;
  v.switchflag = m_params.switchflag;
  v.switchinnerflag = m_params.switchinnerflag;
  v.bzeroflag = m_params.bzeroflag;
  v.bnormflag = m_params.bnormflag;
  v.wselfallflag = m_params.wselfallflag;
  v.nzrows = static_cast<int>(m_zrow.size());
  m_view = view_of_tables([](const auto &table, const char *) { return table.data(); });
}

}    // namespace reval
