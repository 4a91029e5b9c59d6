/// @file fit_test_support.h
/// Synthetic training data for the reval-fit tests (unit, program, MPI): random perturbed and
/// strained diamond Si (or bcc Ta) cells labelled by a known SNAP model through REVAL's SNAP engine,
/// the known model's coefficients, and a FitSNAP-format input text for them.
#pragma once

#include "core/extxyz.h"
#include "core/fit_driver.h"
#include "core/snap_descriptor.h"
#include "core/splitmix64.h"

#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace reval::fittest {

inline double uniform(SplitMix64 &rng) { return (rng.next() >> 11) * (1.0 / 9007199254740992.0); }

/// One element, radelem 0.5, wj 1, rcutfac `rcutfac` (cutoff = rcutfac Å).
inline SnapParams params(const std::string &el, int twojmax, int bzeroflag, double rcutfac = 4.2)
{
  SnapParams p;
  p.rcutfac = rcutfac;
  p.twojmax = twojmax;
  p.bzeroflag = bzeroflag;
  p.elements = {el};
  p.radelem = {0.5};
  p.wjelem = {1.0};
  return p;
}

/// Known coefficients of `nelem` blocks of 1 + n (+ n(n+1)/2) values: beta0 = -3.1 - 0.2 e, linear
/// 0.4 sin(1.7 k + 0.4 + e) / (1 + 0.1 k), quadratic 0.05 cos(0.9 k + e) / (1 + 0.05 k).
inline std::vector<double> known_coeffs(int nelem, int n, bool quadratic)
{
  std::vector<double> c;
  for (int e = 0; e < nelem; ++e) {
    c.push_back(-3.1 - 0.2 * e);
    for (int k = 0; k < n; ++k) c.push_back(0.4 * std::sin(1.7 * k + 0.4 + e) / (1.0 + 0.1 * k));
    if (quadratic)
      for (int k = 0; k < n * (n + 1) / 2; ++k) c.push_back(0.05 * std::cos(0.9 * k + e) / (1.0 + 0.05 * k));
  }
  return c;
}

/// A random configuration: the conventional cell of diamond (a = 5.431, 8 atoms) or bcc (a = 3.3,
/// 2 atoms) repeated `rep` times per direction, strained by up to 4 % (shear included), atoms displaced
/// by up to `disp` Å per component. Forces and energy are left empty.
inline XyzFrame random_frame(SplitMix64 &rng, const std::string &el, const std::string &lattice, int rep, double disp)
{
  static const double dia[8][3] = {{0, 0, 0},          {0, .5, .5},        {.5, 0, .5},        {.5, .5, 0},
                                   {.25, .25, .25},    {.25, .75, .75},    {.75, .25, .75},    {.75, .75, .25}};
  static const double bcc[2][3] = {{0, 0, 0}, {.5, .5, .5}};
  const bool d = lattice == "diamond";
  const double a = d ? 5.431 : 3.3;
  const int nb = d ? 8 : 2;
  XyzFrame f;
  double h[9];
  // rows a, b, c in LAMMPS' restricted triclinic form (a along x, b in the xy plane)
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) h[3 * i + j] = (i == j ? a * rep : 0.0) * (1.0 + 0.04 * (2 * uniform(rng) - 1)) +
          (j < i ? 0.03 * a * rep * (2 * uniform(rng) - 1) : 0.0);
  for (int k = 0; k < 9; ++k) f.cell[k] = h[k];
  for (int x = 0; x < rep; ++x)
    for (int y = 0; y < rep; ++y)
      for (int z = 0; z < rep; ++z)
        for (int b = 0; b < nb; ++b) {
          const double *s = d ? dia[b] : bcc[b];
          const double fr[3] = {(x + s[0]) / rep, (y + s[1]) / rep, (z + s[2]) / rep};
          f.species.push_back(el);
          for (int c = 0; c < 3; ++c)
            f.pos.push_back(fr[0] * h[c] + fr[1] * h[3 + c] + fr[2] * h[6 + c] + disp * (2 * uniform(rng) - 1));
        }
  return f;
}

/// Two elements: Si (radelem 0.5, wj 1) and Ge (radelem 0.45, wj 0.8).
inline SnapParams params2(int twojmax, int bzeroflag, double rcutfac = 4.4)
{
  SnapParams p = params("Si", twojmax, bzeroflag, rcutfac);
  p.elements = {"Si", "Ge"};
  p.radelem = {0.5, 0.45};
  p.wjelem = {1.0, 0.8};
  return p;
}

/// Makes about half of the atoms of `f` (chosen by `rng`) element `el`.
inline void mix_in(SplitMix64 &rng, XyzFrame &f, const std::string &el)
{
  for (auto &s : f.species)
    if (rng.next() & 1) s = el;
}

/// Labels `f` with the energy and forces of model `coeffs` (REVAL's engine, FitDriver::predict).
inline void label(FitDriver &drv, const std::vector<double> &coeffs, XyzFrame &f)
{
  const FitPrediction p = drv.predict(drv.model(coeffs), f, "synthetic");
  f.has_energy = true;
  f.energy = p.energy;
  f.forces = p.forces;
}

/// The FitSNAP-format input with `p`'s settings (elements, radii, weights) and the given extra lines.
inline std::string input_text(const SnapParams &p, bool quadratic, const std::string &data_path,
                              const std::string &groups, const std::string &extra = "")
{
  std::ostringstream s;
  s.precision(17);
  auto list = [](const auto &v) {
    std::ostringstream o;
    o.precision(17);
    for (size_t k = 0; k < v.size(); ++k) o << (k ? " " : "") << v[k];
    return o.str();
  };
  s << "[BISPECTRUM]\nnumTypes = " << p.nelements() << "\ntwojmax = " << p.twojmax << "\nrcutfac = " << p.rcutfac
    << "\nrfac0 = " << p.rfac0 << "\nrmin0 = " << p.rmin0 << "\nwj = " << list(p.wjelem) << "\nradelem = "
    << list(p.radelem) << "\ntype = " << list(p.elements) << "\nbzeroflag = " << p.bzeroflag
    << "\nswitchflag = " << p.switchflag << "\nchemflag = " << p.chemflag << "\nbnormflag = " << p.bnormflag
    << "\nwselfallflag = " << p.wselfallflag << "\nquadraticflag = " << (quadratic ? 1 : 0)
    << "\n\n[CALCULATOR]\ncalculator = LAMMPSSNAP\nenergy = 1\nforce = 1\nstress = 0\n\n[SCRAPER]\nscraper = XYZ\n\n"
    << "[PATH]\ndataPath = " << data_path << "\n\n[GROUPS]\ngroup_sections = name training_size testing_size eweight "
    << "fweight vweight\ngroup_types = str float float float float float\n" << groups << "\n" << extra;
  return s.str();
}

/// Largest |a_k - b_k| relative to the largest |b_k|.
inline double max_rel_diff(const std::vector<double> &a, const std::vector<double> &b)
{
  double d = 0.0, m = 0.0;
  for (size_t k = 0; k < a.size() && k < b.size(); ++k) {
    d = std::max(d, std::fabs(a[k] - b[k]));
    m = std::max(m, std::fabs(b[k]));
  }
  return a.size() == b.size() ? d / m : 1e300;
}

}    // namespace reval::fittest
