#include "core/snap_fit_rows.h"

#include "core/error.h"
#include "kernels/point/snap_kernels.hpp"    // snap_short_list

#include <algorithm>

namespace reval {

std::vector<int> frame_elements(const SnapParams &params, const XyzFrame &frame, const std::string &where)
{
  std::vector<int> elem(frame.natoms());
  for (int i = 0; i < frame.natoms(); ++i) {
    const auto it = std::find(params.elements.begin(), params.elements.end(), frame.species[i]);
    if (it == params.elements.end())
      throw Error(where + ": atom " + std::to_string(i + 1) + " is element '" + frame.species[i] +
                  "', which is not among the SNAP elements");
    elem[i] = static_cast<int>(it - params.elements.begin());
  }
  return elem;
}

void frame_short_list(const SnapParams &params, const FrameNeighbours &nb, const std::vector<int> &elem, int i,
                      SnapShortList &out, std::vector<FrameImage> &images)
{
  nb.around(i, images);
  out.rij.resize(3 * images.size());
  out.jelem.resize(images.size());
  out.jatom.resize(images.size());
  // candidates = the images, positions relative to atom i (so r_j - r_i is the image displacement exactly)
  const double origin[3] = {0.0, 0.0, 0.0};
  out.n = kernels::snap_short_list(
      params.radelem.data(), params.rcutfac, elem[i], origin, static_cast<int>(images.size()),
      [](int jj) { return jj; }, [&](int jj) { return elem[images[jj].index]; },
      [&](int jj, int k) { return images[jj].d[k]; },
      [&](int n, int jj, int je, double dx, double dy, double dz) {
        out.rij[3 * n] = dx;
        out.rij[3 * n + 1] = dy;
        out.rij[3 * n + 2] = dz;
        out.jelem[n] = je;
        out.jatom[n] = images[jj].index;
      });
}

SnapFitRows::SnapFitRows(std::shared_ptr<const SnapDescriptor> descriptor, bool quadratic)
    : m_desc(std::move(descriptor)), m_engine(m_desc), m_quadratic(quadratic)
{
  m_nelem = m_desc->params().nelements();
  m_ncoeff = m_desc->ncoeff();
  m_block = 1 + m_ncoeff + (quadratic ? m_ncoeff * (m_ncoeff + 1) / 2 : 0);
  m_B.resize(m_ncoeff);
  m_dd.resize(3 * static_cast<size_t>(m_block));
}

void SnapFitRows::compute(const XyzFrame &frame, double *energy, double *forces, double *virial, double *per_atom,
                          const std::string &where)
{
  const int natoms = frame.natoms();
  const int nc = m_ncoeff, blk = m_block, ncols = this->ncols();
  const std::vector<int> elem = frame_elements(m_desc->params(), frame, where);
  if (energy) std::fill(energy, energy + ncols, 0.0);
  if (forces) std::fill(forces, forces + 3 * static_cast<size_t>(natoms) * ncols, 0.0);
  if (virial) std::fill(virial, virial + 6 * static_cast<size_t>(ncols), 0.0);
  const bool derivatives = forces || virial;
  m_nb.build(frame, m_desc->params().max_cutoff());

  for (int i = 0; i < natoms; ++i) {
    frame_short_list(m_desc->params(), m_nb, elem, i, m_list, m_images);
    const int n = m_list.n;
    if (derivatives) {
      m_dbdr.resize(3 * static_cast<size_t>(std::max(n, 1)) * nc);
      m_engine.bispectrum_derivatives(elem[i], n, m_list.rij.data(), m_list.jelem.data(), m_B.data(), m_dbdr.data());
    } else {
      m_engine.bispectrum(elem[i], n, m_list.rij.data(), m_list.jelem.data(), m_B.data());
    }
    const size_t off = static_cast<size_t>(elem[i]) * blk;    // this atom's element block
    // descriptor values [1, B, q] of atom i
    auto values = [&](double *row, double scale) {
      row[0] += scale;
      for (int k = 0; k < nc; ++k) row[1 + k] += scale * m_B[k];
      if (m_quadratic) {
        double *q = row + 1 + nc;
        for (int k = 0; k < nc; ++k) {
          *q++ += scale * 0.5 * m_B[k] * m_B[k];
          for (int l = k + 1; l < nc; ++l) *q++ += scale * m_B[k] * m_B[l];
        }
      }
    };
    if (energy) values(energy + off, 1.0);
    if (per_atom) {
      std::fill(per_atom + static_cast<size_t>(i) * blk, per_atom + static_cast<size_t>(i + 1) * blk, 0.0);
      values(per_atom + static_cast<size_t>(i) * blk, 1.0);
    }
    if (!derivatives) continue;
    for (int jj = 0; jj < n; ++jj) {
      // d[1, B_i, q_i]/dr_{j,d} for d = x, y, z (the constant column has no derivative)
      for (int d = 0; d < 3; ++d) {
        const double *db = &m_dbdr[(static_cast<size_t>(jj) * 3 + d) * nc];
        double *dd = &m_dd[static_cast<size_t>(d) * blk];
        dd[0] = 0.0;
        std::copy(db, db + nc, dd + 1);
        if (m_quadratic) {
          double *q = dd + 1 + nc;
          for (int k = 0; k < nc; ++k) {
            *q++ = m_B[k] * db[k];
            for (int l = k + 1; l < nc; ++l) *q++ = db[k] * m_B[l] + m_B[k] * db[l];
          }
        }
      }
      const int j = m_list.jatom[jj];
      if (forces) {
        // F_j = -dE_i/dr_j; F_i = +dE_i/dr_j (translation invariance)
        for (int d = 0; d < 3; ++d) {
          const double *dd = &m_dd[static_cast<size_t>(d) * blk];
          double *fj = forces + (3 * static_cast<size_t>(j) + d) * ncols + off;
          double *fi = forces + (3 * static_cast<size_t>(i) + d) * ncols + off;
          for (int c = 1; c < blk; ++c) {
            fj[c] -= dd[c];
            fi[c] += dd[c];
          }
        }
      }
      if (virial) {
        const double *r = &m_list.rij[3 * static_cast<size_t>(jj)];
        for (int v = 0; v < 6; ++v) {
          const double *dd = &m_dd[static_cast<size_t>(kVirialB[v]) * blk];
          double *w = virial + static_cast<size_t>(v) * ncols + off;
          const double ra = r[kVirialA[v]];
          for (int c = 1; c < blk; ++c) w[c] -= ra * dd[c];
        }
      }
    }
  }
}

}    // namespace reval
