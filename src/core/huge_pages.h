/// @file huge_pages.h
/// Host storage for the large arrays that the site analysis streams through every timestep (per-atom
/// results, per-site coordinates, lists and counts): blocks of at least kHugePageMin bytes start on a
/// 2 MiB boundary and are advised as transparent huge pages (madvise MADV_HUGEPAGE, Linux) before
/// they are first touched. Linux's usual THP mode "madvise" gives huge pages only to memory that asks
/// for them; with 4 KiB pages a 64,000-atom analysis interleaved with a pair style missed the TLB on
/// most of its streams (measured in bench/README.md). Cost: less than one 2 MiB page more per block.
/// Smaller blocks, and systems without madvise, use plain operator new. Nothing changes in the values
/// stored: a storage policy only.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace reval {

/// Blocks from this size up are 2 MiB aligned and advised as huge pages.
constexpr std::size_t kHugePageMin = std::size_t(1) << 19;    // 512 KiB
constexpr std::size_t kHugePageSize = std::size_t(1) << 21;    // 2 MiB

/// Allocates `bytes` (>= kHugePageMin) aligned to kHugePageSize and advises the block as huge pages;
/// nullptr on failure. Released with huge_free().
void *huge_alloc(std::size_t bytes);
void huge_free(void *p);

/// std::allocator with the policy above (stateless: all instances are equal).
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U> &) noexcept
  {
  }
  T *allocate(std::size_t n)
  {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePageMin) return static_cast<T *>(::operator new(bytes));
    void *p = huge_alloc(bytes);
    if (!p) throw std::bad_alloc();
    return static_cast<T *>(p);
  }
  void deallocate(T *p, std::size_t n) noexcept
  {
    if (n * sizeof(T) < kHugePageMin)
      ::operator delete(p);
    else
      huge_free(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U> &) const noexcept
  {
    return true;
  }
  template <class U>
  bool operator!=(const HugePageAllocator<U> &) const noexcept
  {
    return false;
  }
};

/// A std::vector on huge-page storage (for arrays streamed every timestep).
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}    // namespace reval
