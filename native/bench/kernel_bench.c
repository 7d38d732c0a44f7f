/*
 * The kernel twins of MmSim's core benchmarks (bench/MmSim.Bench): each function does on this machine's
 * kernel what the matching Model benchmark does on the simulated one, so BenchmarkDotNet can time both in
 * the same run. Built by bench/MmSim.Bench/MmSim.Bench.csproj (cc -O2 -shared -fPIC) into
 * libkernel_bench.so next to the benchmark assembly, and called through [LibraryImport].
 *
 * Every function returns a long: >= 0 on success (a count, an address or a pid) and -errno on failure,
 * like the raw system calls, so the C# side can check results without reading errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 0x01
#endif

#define KB_PAGE 4096UL
/* The fixed region the benchmarks use on both sides, far below the mmap base of a .NET process. */
#define KB_BASE 0x100000000000UL
/* The mprotect benchmark's mapping: four pages, the second one flipped to read-only and back. */
#define KB_SMALL (4 * KB_PAGE)

#define KB_EXPORT __attribute__((visibility("default")))

static long kb_err(void)
{
    return -(long)errno;
}

/* One mmap+munmap pair of a private anonymous page at an address the kernel chooses. */
KB_EXPORT long kb_mmap_munmap_4k(void)
{
    void *p = mmap(NULL, KB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return kb_err();
    return munmap(p, KB_PAGE) == 0 ? 0 : kb_err();
}

/*
 * Maps len bytes of private anonymous read-write memory at KB_BASE (MAP_FIXED_NOREPLACE: fails with
 * -EEXIST rather than replace anything) and marks it MADV_NOHUGEPAGE, so that every benchmark counts
 * 4 KiB pages whatever /sys/kernel/mm/transparent_hugepage/enabled says. Returns the address.
 */
KB_EXPORT long kb_map(unsigned long len)
{
    void *p = mmap((void *)KB_BASE, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED)
        return kb_err();
    if (p != (void *)KB_BASE) {
        /* A kernel older than 4.17 treats MAP_FIXED_NOREPLACE as a hint. */
        munmap(p, len);
        return -EEXIST;
    }
    if (madvise(p, len, MADV_NOHUGEPAGE) != 0) {
        long err = kb_err();
        munmap(p, len);
        return err;
    }
    return (long)(uintptr_t)p;
}

KB_EXPORT long kb_unmap(unsigned long len)
{
    return munmap((void *)KB_BASE, len) == 0 ? 0 : kb_err();
}

/* One write to each page of [KB_BASE, KB_BASE+len), in address order. Returns the number of pages. */
KB_EXPORT long kb_write_pages(unsigned long len)
{
    volatile unsigned char *p = (volatile unsigned char *)KB_BASE;
    unsigned long n = len / KB_PAGE;
    for (unsigned long i = 0; i < n; i++)
        p[i * KB_PAGE] = 1;
    return (long)n;
}

/* The mprotect benchmark's setup: KB_SMALL bytes at KB_BASE, every page written. */
KB_EXPORT long kb_small_setup(void)
{
    long r = kb_map(KB_SMALL);
    if (r < 0)
        return r;
    kb_write_pages(KB_SMALL);
    return r;
}

KB_EXPORT long kb_small_teardown(void)
{
    return kb_unmap(KB_SMALL);
}

/* One mprotect split+merge pair: the second page to read-only (one VMA becomes three) and back (one again). */
KB_EXPORT long kb_mprotect_split_merge(void)
{
    if (mprotect((void *)(KB_BASE + KB_PAGE), KB_PAGE, PROT_READ) != 0)
        return kb_err();
    return mprotect((void *)(KB_BASE + KB_PAGE), KB_PAGE, PROT_READ | PROT_WRITE) == 0 ? 0 : kb_err();
}

/*
 * fork(2). The child calls _exit(0) at once (nothing else is async-signal-safe in a copy of a
 * multithreaded .NET process); the parent gets the pid and must pass it to kb_wait(), outside the
 * measurement.
 */
KB_EXPORT long kb_fork(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    return pid < 0 ? kb_err() : (long)pid;
}

/* Reaps a child of kb_fork(): returns its exit status (0), or -errno. */
KB_EXPORT long kb_wait(long pid)
{
    int status;
    pid_t r;
    do
        r = waitpid((pid_t)pid, &status, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return kb_err();
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

KB_EXPORT long kb_madv_dontneed(unsigned long len)
{
    return madvise((void *)KB_BASE, len, MADV_DONTNEED) == 0 ? 0 : kb_err();
}

/*
 * DONTNEED of n one-page ranges, every other page from KB_BASE: with vector != 0 one process_madvise() of n
 * iovecs through a pidfd of this process (one mmu_gather for the whole vector), else n madvise() calls.
 * Returns the bytes process_madvise advised, or n.
 */
KB_EXPORT long kb_dontneed_vector(unsigned long n, int vector)
{
    static struct { void *base; size_t len; } iov[1024];
    static int pidfd = -1;
    if (n > 1024)
        return -EINVAL;
    if (!vector) {
        for (unsigned long i = 0; i < n; i++)
            if (madvise((void *)(KB_BASE + 2 * i * 4096), 4096, MADV_DONTNEED) != 0)
                return kb_err();
        return (long)n;
    }
    if (pidfd < 0 && (pidfd = (int)syscall(434 /* pidfd_open */, getpid(), 0)) < 0)
        return kb_err();
    for (unsigned long i = 0; i < n; i++) {
        iov[i].base = (void *)(KB_BASE + 2 * i * 4096);
        iov[i].len = 4096;
    }
    long r = syscall(440 /* process_madvise */, pidfd, iov, n, MADV_DONTNEED, 0);
    return r < 0 ? kb_err() : r;
}

/*
 * mremap benchmark: maps len bytes of private anonymous memory at addr (MAP_FIXED_NOREPLACE,
 * MADV_NOHUGEPAGE) and writes every page. Returns the address.
 */
KB_EXPORT long kb_map_populated_at(unsigned long addr, unsigned long len)
{
    void *p = mmap((void *)addr, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED)
        return kb_err();
    if (p != (void *)addr) {
        munmap(p, len);
        return -EEXIST;
    }
    if (madvise(p, len, MADV_NOHUGEPAGE) != 0)
        return kb_err();
    for (unsigned long off = 0; off < len; off += KB_PAGE)
        ((volatile char *)p)[off] = 1;
    return (long)addr;
}

KB_EXPORT long kb_unmap_at(unsigned long addr, unsigned long len)
{
    return munmap((void *)addr, len) == 0 ? 0 : kb_err();
}

/* One move of [old_addr, old_addr + len) to new_addr: mremap(MREMAP_MAYMOVE | MREMAP_FIXED). */
KB_EXPORT long kb_mremap_move(unsigned long old_addr, unsigned long len, unsigned long new_addr)
{
    void *p = mremap((void *)old_addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)new_addr);
    return p == MAP_FAILED ? kb_err() : (long)p;
}

/*
 * The mlock benchmarks' global setup: RLIMIT_MEMLOCK to RLIM_INFINITY (soft and hard), so that locking 1 GiB
 * is within the limit. Raising the hard limit needs CAP_SYS_RESOURCE; a root process without it (a container
 * that drops it) gets EPERM, and then CAP_IPC_LOCK in the effective set does as well: mlock() looks at the
 * limit only for a process without it, so the locking path is the same. Returns 0 if the limit was raised,
 * 1 if it could not be but CAP_IPC_LOCK is effective, -errno (the setrlimit error) if neither.
 */
KB_EXPORT long kb_memlock_unlimited(void)
{
    struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
    if (setrlimit(RLIMIT_MEMLOCK, &unlimited) == 0)
        return 0;
    long err = kb_err();
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    if (syscall(SYS_capget, &header, data) == 0 && (data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective & CAP_TO_MASK(CAP_IPC_LOCK)))
        return 1;
    return err;
}

/* mlock() of [KB_BASE, KB_BASE+len): locks the range and populates every page. */
KB_EXPORT long kb_mlock(unsigned long len)
{
    return mlock((void *)KB_BASE, len) == 0 ? 0 : kb_err();
}

/*
 * mlock2(MLOCK_ONFAULT) of [KB_BASE, KB_BASE+len), then one write to every stride-th page, starting with
 * page stride-1 (the tenth page for stride 10): each write faults in a page, which the fault locks. Returns
 * the number of pages written, or -errno from mlock2.
 */
KB_EXPORT long kb_mlock_onfault_write(unsigned long len, unsigned long stride)
{
    if (mlock2((void *)KB_BASE, len, MLOCK_ONFAULT) != 0)
        return kb_err();
    volatile unsigned char *p = (volatile unsigned char *)KB_BASE;
    unsigned long n = len / KB_PAGE;
    long written = 0;
    for (unsigned long i = stride - 1; i < n; i += stride, written++)
        p[i * KB_PAGE] = 1;
    return written;
}

/*
 * The scale benchmarks. kb_many_vmas: n pages at KB_BASE, every other one made read-only, so the mapping is n
 * VMAs (n/2 mprotect calls), then unmapped. Returns n or -errno.
 */
KB_EXPORT long kb_many_vmas(unsigned long n)
{
    char *p = mmap((void *)KB_BASE, n * KB_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED)
        return kb_err();
    for (unsigned long i = 1; i < n; i += 2) {
        if (mprotect(p + i * KB_PAGE, KB_PAGE, PROT_READ) != 0) {
            long err = kb_err();
            munmap(p, n * KB_PAGE);
            return err;
        }
    }
    return munmap(p, n * KB_PAGE) == 0 ? (long)n : kb_err();
}

/*
 * kb_statement_blocks: `blocks` times the four statements of the model's scenario: mmap(MAP_FIXED) one page at
 * KB_BASE, store "hello", load it back and compare, munmap. Returns blocks or -errno (-1000 on a mismatch).
 */
KB_EXPORT long kb_statement_blocks(unsigned long blocks)
{
    for (unsigned long i = 0; i < blocks; i++) {
        char *p = mmap((void *)KB_BASE, KB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (p == MAP_FAILED)
            return kb_err();
        memcpy(p, "hello", 5);
        char back[5];
        for (int j = 0; j < 5; j++)
            back[j] = ((volatile char *)p)[j];
        if (memcmp(back, "hello", 5) != 0)
            return -1000;
        if (munmap(p, KB_PAGE) != 0)
            return kb_err();
    }
    return (long)blocks;
}

/*
 * The userfaultfd benchmarks. One region at KB_BASE registered with a userfaultfd, one faulting thread that reads
 * the first byte of every `stride` bytes of it when told to, and the caller as the monitor: for each fault it
 * reads the message and resolves the fault's `stride` bytes with UFFDIO_COPY (kinds 0 and 1) or UFFDIO_CONTINUE
 * (kind 2), which wakes the thread.
 *   kind 0: private anonymous, MISSING (the round trip: one page, re-emptied with MADV_DONTNEED each time)
 *   kind 1: a memfd mapped shared, MISSING: COPY copies into the page cache (kb_uffd_reset truncates it away)
 *   kind 2: the same memfd, MINOR: its pages stay cached, CONTINUE maps them (kb_uffd_reset drops the PTEs)
 */
#ifndef UFFDIO_CONTINUE
struct uffdio_continue { struct uffdio_range range; __u64 mode; __s64 mapped; };
#define UFFDIO_CONTINUE _IOWR(UFFDIO, 0x07, struct uffdio_continue)
#define UFFDIO_REGISTER_MODE_MINOR ((__u64)1 << 2)
#endif

static struct {
    int uffd, memfd, kind;
    char *area, *src;
    unsigned long len, stride;
    pthread_t thread;
    sem_t go, done;
    volatile int stop;
} s_uffd = { .uffd = -1, .memfd = -1 };

static void *kb_uffd_faulter(void *arg)
{
    (void)arg;
    for (;;) {
        sem_wait(&s_uffd.go);
        if (s_uffd.stop)
            return NULL;
        for (unsigned long off = 0; off < s_uffd.len; off += s_uffd.stride)
            (void)*(volatile char *)(s_uffd.area + off);
        sem_post(&s_uffd.done);
    }
}

KB_EXPORT long kb_uffd_reset(void)
{
    if (s_uffd.kind == 1) {
        if (ftruncate(s_uffd.memfd, 0) != 0 || ftruncate(s_uffd.memfd, (off_t)s_uffd.len) != 0)
            return kb_err();
        return 0;
    }
    return madvise(s_uffd.area, s_uffd.len, MADV_DONTNEED) == 0 ? 0 : kb_err();
}

KB_EXPORT long kb_uffd_setup(unsigned long len, unsigned long stride, int kind)
{
    s_uffd.len = len;
    s_uffd.stride = stride;
    s_uffd.kind = kind;
    s_uffd.stop = 0;
    s_uffd.src = mmap(NULL, stride, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (s_uffd.src == MAP_FAILED)
        return kb_err();
    memset(s_uffd.src, 0x5a, stride);
    if (kind == 0) {
        s_uffd.area = mmap((void *)KB_BASE, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    } else {
        s_uffd.memfd = (int)syscall(SYS_memfd_create, "bench", 0);
        if (s_uffd.memfd < 0 || ftruncate(s_uffd.memfd, (off_t)len) != 0)
            return kb_err();
        s_uffd.area = mmap((void *)KB_BASE, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, s_uffd.memfd, 0);
    }
    if (s_uffd.area == MAP_FAILED)
        return kb_err();
    if (kind == 2) {
        /* The page cache has every page: written once through the mapping, then its PTEs dropped. */
        memset(s_uffd.area, 0x5a, len);
        if (madvise(s_uffd.area, len, MADV_DONTNEED) != 0)
            return kb_err();
    }
    s_uffd.uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | 1 /* UFFD_USER_MODE_ONLY */);
    if (s_uffd.uffd < 0)
        return kb_err();
    struct uffdio_api api = { .api = UFFD_API };
    if (ioctl(s_uffd.uffd, UFFDIO_API, &api) != 0)
        return kb_err();
    struct uffdio_register reg = { .range = { KB_BASE, len },
                                   .mode = kind == 2 ? UFFDIO_REGISTER_MODE_MINOR : UFFDIO_REGISTER_MODE_MISSING };
    if (ioctl(s_uffd.uffd, UFFDIO_REGISTER, &reg) != 0)
        return kb_err();
    sem_init(&s_uffd.go, 0, 0);
    sem_init(&s_uffd.done, 0, 0);
    if (pthread_create(&s_uffd.thread, NULL, kb_uffd_faulter, NULL) != 0)
        return -1000;
    return 0;
}

/* One pass: the thread faults on every stride of the region, the monitor resolves each; returns the faults resolved. */
KB_EXPORT long kb_uffd_run(void)
{
    long faults = 0;
    sem_post(&s_uffd.go);
    for (unsigned long resolved = 0; resolved < s_uffd.len; resolved += s_uffd.stride, faults++) {
        struct uffd_msg msg;
        if (read(s_uffd.uffd, &msg, sizeof msg) != (ssize_t)sizeof msg)
            return kb_err();
        unsigned long at = msg.arg.pagefault.address & ~(s_uffd.stride - 1);
        if (s_uffd.kind == 2) {
            struct uffdio_continue c = { .range = { at, s_uffd.stride } };
            if (ioctl(s_uffd.uffd, UFFDIO_CONTINUE, &c) != 0)
                return kb_err();
        } else {
            struct uffdio_copy c = { .dst = at, .src = (unsigned long)s_uffd.src, .len = s_uffd.stride };
            if (ioctl(s_uffd.uffd, UFFDIO_COPY, &c) != 0)
                return kb_err();
        }
    }
    sem_wait(&s_uffd.done);
    return faults;
}

KB_EXPORT long kb_uffd_teardown(void)
{
    s_uffd.stop = 1;
    sem_post(&s_uffd.go);
    pthread_join(s_uffd.thread, NULL);
    close(s_uffd.uffd);
    munmap(s_uffd.area, s_uffd.len);
    munmap(s_uffd.src, s_uffd.stride);
    if (s_uffd.memfd >= 0)
        close(s_uffd.memfd);
    s_uffd.uffd = s_uffd.memfd = -1;
    return 0;
}

/* madvise() of [KB_BASE, KB_BASE + len) with any advice (MADV_PAGEOUT, MADV_FREE, ...). */
KB_EXPORT long kb_madvise(unsigned long len, int advice)
{
    return madvise((void *)KB_BASE, len, advice) == 0 ? 0 : kb_err();
}

/* Reads one byte of every page of [KB_BASE, KB_BASE + len): swaps them back in after MADV_PAGEOUT. */
KB_EXPORT long kb_read_pages(unsigned long len)
{
    volatile unsigned char *p = (volatile unsigned char *)KB_BASE;
    unsigned long n = len / KB_PAGE, sum = 0;
    for (unsigned long i = 0; i < n; i++)
        sum += p[i * KB_PAGE];
    return (long)(sum & 0x7fffffff);
}
