#include "core/harvest.h"

#include "core/error.h"
#include "core/frame_cell.h"
#include "core/frame_images.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>
#include <unistd.h>

namespace reval {

namespace {

using Mat3 = Eigen::Matrix3d;
using Vec3 = Eigen::Vector3d;

/// Fractional displacement of atom i from the centre, the nearest image along periodic directions.
Vec3 min_image_frac(const XyzFrame &w, const Mat3 &ci, const Vec3 &centre, int i)
{
  Vec3 f = ci * (Vec3(w.pos[3 * i], w.pos[3 * i + 1], w.pos[3 * i + 2]) - centre);
  for (int d = 0; d < 3; ++d)
    if (w.pbc[d]) f[d] -= std::round(f[d]);
  return f;
}

/// One kept atom: index in the whole frame and its displacement from the centre.
using Kept = FrameImage;

std::vector<Kept> sphere_atoms(const XyzFrame &w, const Vec3 &centre, double r)
{
  std::vector<Kept> out;
  images_within(w, centre, r, out);
  return out;
}

std::vector<Kept> box_atoms(const XyzFrame &w, const Mat3 &c, const Vec3 &centre, double l)
{
  for (int d = 0; d < 3; ++d) {
    if (!w.pbc[d]) continue;
    const Vec3 n = c.col((d + 1) % 3).cross(c.col((d + 2) % 3)).normalized();
    const double width = cell_perpendicular_width(c, d);
    const double extent = l * (std::fabs(n[0]) + std::fabs(n[1]) + std::fabs(n[2]));
    if (extent > width * (1.0 + 1e-12))
      throw Error("cut-out box of side " + std::to_string(l) + " A spans " + std::to_string(extent) +
                  " A across periodic direction " + std::to_string(d + 1) + " of a cell " + std::to_string(width) +
                  " A wide: an atom and its own image would both be in it (use a smaller box)");
  }
  const Mat3 ci = c.inverse();
  const double h = 0.5 * l;
  std::vector<Kept> out;
  for (int i = 0; i < w.natoms(); ++i) {
    const Vec3 f = min_image_frac(w, ci, centre, i);
    const int k[3] = {w.pbc[0] ? 1 : 0, w.pbc[1] ? 1 : 0, w.pbc[2] ? 1 : 0};
    for (int a = -k[0]; a <= k[0]; ++a)
      for (int b = -k[1]; b <= k[1]; ++b)
        for (int e = -k[2]; e <= k[2]; ++e) {
          const Vec3 d = c * (f + Vec3(a, b, e));
          if (d[0] >= -h && d[0] < h && d[1] >= -h && d[1] < h && d[2] >= -h && d[2] < h) out.push_back({i, d});
        }
  }
  return out;
}

}    // namespace

XyzFrame cut_out(const XyzFrame &whole, const double centre[3], const CutoutSpec &spec, double vacuum,
                 std::vector<int> *index)
{
  if (spec.kind == CutoutSpec::Kind::whole) {
    if (index) {
      index->resize(whole.natoms());
      std::iota(index->begin(), index->end(), 0);
    }
    return whole;
  }
  if (!(spec.size > 0.0) || !std::isfinite(spec.size)) throw Error("cut-out size must be a positive length");
  if (!(vacuum >= 0.0)) throw Error("cut-out vacuum must be >= 0");
  const Mat3 c = frame_cell(whole);
  const Vec3 x0(centre[0], centre[1], centre[2]);
  std::vector<Kept> kept = spec.kind == CutoutSpec::Kind::sphere ? sphere_atoms(whole, x0, spec.size)
                                                                 : box_atoms(whole, c, x0, spec.size);
  std::stable_sort(kept.begin(), kept.end(), [](const Kept &a, const Kept &b) {
    const double na = a.d.squaredNorm(), nb = b.d.squaredNorm();
    return na < nb || (na == nb && a.index < b.index);
  });
  XyzFrame out;
  const bool sphere = spec.kind == CutoutSpec::Kind::sphere;
  const double side = sphere ? 2.0 * (spec.size + vacuum) : spec.size;
  const double shift = 0.5 * side;
  out.cell[0] = out.cell[4] = out.cell[8] = side;
  for (int d = 0; d < 3; ++d) out.pbc[d] = !sphere;
  out.has_energy = false;    // the energy of a cut-out is not the energy of the whole
  out.info = whole.info;
  out.info["cutout"] = sphere ? "sphere" : "box";
  out.info["cutout_size"] = std::to_string(spec.size);
  if (sphere) out.info["note"] = "non-periodic cluster cut from a periodic configuration";
  out.array_width = whole.array_width;
  if (index) index->clear();
  for (const Kept &k : kept) {
    out.species.push_back(whole.species[k.index]);
    for (int d = 0; d < 3; ++d) out.pos.push_back(k.d[d] + shift);
    if (!whole.forces.empty())
      for (int d = 0; d < 3; ++d) out.forces.push_back(whole.forces[3 * k.index + d]);
    for (const auto &a : whole.arrays) {
      const int wdt = whole.array_width.at(a.first);
      auto &dst = out.arrays[a.first];
      dst.insert(dst.end(), a.second.begin() + static_cast<long>(k.index) * wdt,
                 a.second.begin() + static_cast<long>(k.index + 1) * wdt);
    }
    if (index) index->push_back(k.index);
  }
  return out;
}

NoveltyMemory::NoveltyMemory(int dim, double threshold) : m_dim(dim), m_d(threshold)
{
  if (dim < 1) throw Error("novelty memory: descriptor dimension must be >= 1");
  if (!(threshold >= 0.0) || !std::isfinite(threshold)) throw Error("novelty memory: distance must be >= 0");
}

bool NoveltyMemory::is_novel(const double *v, int n) const
{
  if (n <= 0) return false;
  const int m = size();
  if (m == 0) return true;
  const double d2 = m_d * m_d;
  for (int a = 0; a < n; ++a) {
    bool near = false;
    for (int b = 0; b < m && !near; ++b) {
      double s = 0.0;
      for (int k = 0; k < m_dim && s <= d2; ++k) {
        const double t = v[static_cast<size_t>(a) * m_dim + k] - m_v[static_cast<size_t>(b) * m_dim + k];
        s += t * t;
      }
      near = s <= d2;
    }
    if (!near) return true;
  }
  return false;
}

void NoveltyMemory::add(const double *v, int n)
{
  if (m_dim < 1) throw Error("novelty memory: not set up");
  m_v.insert(m_v.end(), v, v + static_cast<size_t>(n) * m_dim);
}

std::vector<double> NoveltyMemory::pack() const
{
  std::vector<double> out{static_cast<double>(m_dim), m_d, static_cast<double>(size())};
  out.insert(out.end(), m_v.begin(), m_v.end());
  return out;
}

NoveltyMemory NoveltyMemory::unpack(const std::vector<double> &data)
{
  if (data.size() < 3) throw Error("novelty memory: truncated restart data");
  const double dim = data[0], n = data[2];
  if (!(dim >= 1 && dim <= 1e6 && dim == std::floor(dim)) || !(n >= 0 && n == std::floor(n)) ||
      data.size() != 3 + static_cast<size_t>(dim) * static_cast<size_t>(n))
    throw Error("novelty memory: inconsistent restart data");
  NoveltyMemory m(static_cast<int>(dim), data[1]);
  m.m_v.assign(data.begin() + 3, data.end());
  return m;
}

namespace {

/// Writes `old` (a file to copy first, or nullptr) followed by `text` to path.tmp, then renames it.
void write_via_temporary(const std::string &path, const char *old, const std::string &text)
{
  const std::string tmp = path + ".tmp";
  auto fail = [&](const std::string &what) {
    std::remove(tmp.c_str());
    throw Error("cannot write '" + path + "': " + what + (errno ? std::string(" (") + std::strerror(errno) + ")" : ""));
  };
  errno = 0;
  FILE *out = std::fopen(tmp.c_str(), "wb");
  if (!out) fail("cannot create " + tmp);
  if (FILE *in = old ? std::fopen(old, "rb") : nullptr) {
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, in)) > 0)
      if (std::fwrite(buf, 1, n, out) != n) {
        std::fclose(in);
        std::fclose(out);
        fail("copy failed");
      }
    const bool bad = std::ferror(in);
    std::fclose(in);
    if (bad) {
      std::fclose(out);
      fail("read failed");
    }
  }
  if (std::fwrite(text.data(), 1, text.size(), out) != text.size() || std::fflush(out) != 0 || ::fsync(fileno(out)) != 0) {
    std::fclose(out);
    fail("write failed");
  }
  if (std::fclose(out) != 0) fail("close failed");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename failed");
}

}    // namespace

void atomic_append(const std::string &path, const std::string &text)
{
  write_via_temporary(path, path.c_str(), text);
}

void atomic_write(const std::string &path, const std::string &text)
{
  write_via_temporary(path, nullptr, text);
}

void neighbour_distances(const XyzFrame &w, int atom, int k, double rmax, double *out)
{
  if (k < 1) throw Error("neighbour distances: k must be >= 1");
  if (!(rmax > 0.0) || !std::isfinite(rmax)) throw Error("neighbour distances: rmax must be > 0");
  if (atom < 0 || atom >= w.natoms()) throw Error("neighbour distances: no atom " + std::to_string(atom));
  const Vec3 centre(w.pos[3 * atom], w.pos[3 * atom + 1], w.pos[3 * atom + 2]);
  const std::vector<Kept> near = sphere_atoms(w, centre, rmax);
  std::vector<double> r;
  r.reserve(near.size());
  for (const Kept &n : near) {
    const double d = n.d.norm();
    if (n.index == atom && d < 1e-12) continue;    // the atom itself (its periodic images count)
    r.push_back(d);
  }
  const size_t m = std::min(r.size(), static_cast<size_t>(k));
  std::partial_sort(r.begin(), r.begin() + static_cast<long>(m), r.end());
  for (int j = 0; j < k; ++j) out[j] = static_cast<size_t>(j) < m ? r[j] : rmax;
}

std::string lammps_data_text(const XyzFrame &f, const std::vector<int> &types, int ntypes,
                             const std::vector<double> &masses, const std::string &title, const double origin[3])
{
  if (static_cast<int>(types.size()) != f.natoms()) throw Error("data file: one type per atom needed");
  if (f.cell[1] != 0.0 || f.cell[2] != 0.0 || f.cell[5] != 0.0)
    throw Error("data file: the cell is not a LAMMPS box (a along x, b in the xy plane)");
  if (!masses.empty() && static_cast<int>(masses.size()) != ntypes) throw Error("data file: one mass per type needed");
  std::ostringstream o;
  o.precision(17);
  o << title << "\n\n" << f.natoms() << " atoms\n" << ntypes << " atom types\n\n";
  o << origin[0] << " " << origin[0] + f.cell[0] << " xlo xhi\n";
  o << origin[1] << " " << origin[1] + f.cell[4] << " ylo yhi\n";
  o << origin[2] << " " << origin[2] + f.cell[8] << " zlo zhi\n";
  if (f.cell[3] != 0.0 || f.cell[6] != 0.0 || f.cell[7] != 0.0)
    o << f.cell[3] << " " << f.cell[6] << " " << f.cell[7] << " xy xz yz\n";
  if (!masses.empty()) {
    o << "\nMasses\n\n";
    for (int t = 0; t < ntypes; ++t) o << t + 1 << " " << masses[t] << "\n";
  }
  o << "\nAtoms # atomic\n\n";
  for (int i = 0; i < f.natoms(); ++i) {
    if (types[i] < 1 || types[i] > ntypes) throw Error("data file: atom type out of range");
    o << i + 1 << " " << types[i] << " " << f.pos[3 * i] + origin[0] << " " << f.pos[3 * i + 1] + origin[1] << " "
      << f.pos[3 * i + 2] + origin[2] << "\n";
  }
  return o.str();
}

}    // namespace reval
