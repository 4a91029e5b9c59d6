#include "core/huge_pages.h"

#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace reval {

void *huge_alloc(std::size_t bytes)
{
  // whole huge pages, the tail page included: at most one partly used huge page per block
  const std::size_t rounded = (bytes + kHugePageSize - 1) / kHugePageSize * kHugePageSize;
  void *p = nullptr;
  if (posix_memalign(&p, kHugePageSize, rounded) != 0) return nullptr;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  madvise(p, rounded, MADV_HUGEPAGE);    // advice only: without THP support the block stays as it is
#endif
  return p;
}

void huge_free(void *p)
{
  std::free(p);
}

}    // namespace reval
