/* Common helpers for userfaultfd probes (Linux 6.18 x86-64).
 * Newer uapi constants are defined here because /usr/include has 6.1 headers. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/userfaultfd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#endif
#ifndef UFFD_FEATURE_POISON
#define UFFD_FEATURE_POISON (1 << 14)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif
#ifndef UFFD_FEATURE_MOVE
#define UFFD_FEATURE_MOVE (1 << 16)
#endif
#ifndef _UFFDIO_MOVE
#define _UFFDIO_MOVE 0x05
#endif
#ifndef _UFFDIO_POISON
#define _UFFDIO_POISON 0x08
#endif
#ifndef UFFDIO_COPY_MODE_WP
#define UFFDIO_COPY_MODE_WP ((__u64)1 << 1)
#endif
struct uffdio_move_ {
	__u64 dst, src, len, mode;
	__s64 move;
};
struct uffdio_poison_ {
	struct uffdio_range range;
	__u64 mode;
	__s64 updated;
};
#define UFFDIO_MOVE_ _IOWR(UFFDIO, _UFFDIO_MOVE, struct uffdio_move_)
#define UFFDIO_POISON_ _IOWR(UFFDIO, _UFFDIO_POISON, struct uffdio_poison_)
#ifndef USERFAULTFD_IOC
#define USERFAULTFD_IOC 0xAA
#define USERFAULTFD_IOC_NEW _IO(USERFAULTFD_IOC, 0x00)
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG 4096UL
#define BASE 0x100000000000UL
#define SENT 0x5a5a5a5a5a5a5a5aLL

static int g_unpriv; /* 1 in the unprivileged child */
#define WHO (g_unpriv ? "unpriv" : "root")

static __attribute__((unused)) const char *en(int e)
{
	const char *s = strerrorname_np(e);
	return s ? s : "?";
}

/* print ret + errno of last call */
#define R(label, expr)                                                        \
	do {                                                                  \
		errno = 0;                                                    \
		long _r = (long)(expr);                                       \
		int _e = errno;                                               \
		printf("[%s] %-58s ret=%ld errno=%s\n", WHO, label, _r,       \
		       _r < 0 ? en(_e) : "-");                                \
	} while (0)

static __attribute__((unused)) long xioctl(int fd, unsigned long cmd, void *arg, int *err)
{
	errno = 0;
	long r = ioctl(fd, cmd, arg);
	*err = errno;
	return r;
}

static __attribute__((unused)) void *map_at(unsigned long addr, size_t len, int prot, int flags, int fd)
{
	void *p = mmap((void *)addr, len, prot, flags | MAP_FIXED_NOREPLACE, fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "[%s] mmap(%#lx,%zu) failed: %s\n", WHO, addr, len, en(errno));
		exit(99);
	}
	if ((unsigned long)p != addr) {
		fprintf(stderr, "mmap returned %p not %#lx\n", p, addr);
		exit(98);
	}
	return p;
}

static __attribute__((unused)) int new_uffd(int flags)
{
	if (g_unpriv)
		flags |= UFFD_USER_MODE_ONLY;
	int fd = syscall(SYS_userfaultfd, flags);
	if (fd < 0) {
		printf("[%s] userfaultfd(%#x) failed: %s\n", WHO, flags, en(errno));
		exit(97);
	}
	return fd;
}

static __attribute__((unused)) int uffd_api(int fd, __u64 features)
{
	struct uffdio_api a = {.api = UFFD_API, .features = features};
	if (ioctl(fd, UFFDIO_API, &a)) {
		printf("[%s] UFFDIO_API(features=%#llx) failed: %s\n", WHO,
		       (unsigned long long)features, en(errno));
		return -1;
	}
	return 0;
}

static __attribute__((unused)) int uffd_reg(int fd, unsigned long start, unsigned long len, __u64 mode,
		    __u64 *ioctls)
{
	struct uffdio_register r = {.range = {start, len}, .mode = mode, .ioctls = 0};
	int e;
	long ret = xioctl(fd, UFFDIO_REGISTER, &r, &e);
	if (ioctls)
		*ioctls = r.ioctls;
	return ret ? -e : 0;
}

/* Print the smaps lines (address line + VmFlags + Rss) for VMAs overlapping [lo,hi) */
static __attribute__((unused)) void smaps_range(const char *tag, unsigned long lo, unsigned long hi)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0;
	unsigned long s, e;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, ' ') &&
		    line[strspn(line, "0123456789abcdef")] == '-') {
			in = (s < hi && e > lo);
			if (in)
				printf("[%s]   %s: %lx-%lx (%lu pages)\n", WHO, tag, s, e, (e - s) / PG);
			continue;
		}
		if (in && (!strncmp(line, "VmFlags:", 8) || !strncmp(line, "Rss:", 4)))
			printf("[%s]       %s", WHO, line);
	}
	fclose(f);
}

/* pagemap entry for addr. Unprivileged (non-dumpable after setresuid) processes
 * cannot open /proc/self/pagemap (EACCES); then fall back to mincore() for the
 * present bit only (bit 63), other bits reported as 0. */
static int g_pm_fallback;
static __attribute__((unused)) uint64_t pagemap(unsigned long addr)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t v = 0;
	if (fd < 0) {
		unsigned char vec = 0;
		g_pm_fallback = 1;
		if (mincore((void *)(addr & ~(PG - 1)), PG, &vec) == 0 && (vec & 1))
			v = 1ULL << 63;
		return v;
	}
	pread(fd, &v, 8, (addr / PG) * 8);
	close(fd);
	return v;
}
static __attribute__((unused)) void print_pagemap(const char *tag, unsigned long addr)
{
	uint64_t v = pagemap(addr);
	if (g_pm_fallback) {
		printf("[%s]   pagemap %s %#lx: (pagemap EACCES; mincore) present=%d\n", WHO, tag, addr, (int)(v >> 63 & 1));
		return;
	}
	printf("[%s]   pagemap %s %#lx: raw=%#" PRIx64 " present=%d swap=%d file/shared=%d excl=%d softdirty=%d uffd_wp=%d pfn=%#" PRIx64 "\n",
	       WHO, tag, addr, v, (int)(v >> 63 & 1), (int)(v >> 62 & 1), (int)(v >> 61 & 1),
	       (int)(v >> 56 & 1), (int)(v >> 55 & 1), (int)(v >> 57 & 1), (uint64_t)(v & ((1ULL << 55) - 1)));
}

static __attribute__((unused)) void print_caps(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "Cap", 3) || !strncmp(line, "Uid", 3) || !strncmp(line, "Gid", 3))
			printf("[%s]   %s", WHO, line);
	fclose(f);
}

/* Drop to uid/gid 65534 keeping only CAP_IPC_LOCK and CAP_SYS_RAWIO in the
 * permitted set (effective and inheritable empty), like the test runner. */
static __attribute__((unused)) void drop_privs(void)
{
	if (setgroups(0, NULL)) perror("setgroups");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)) perror("keepcaps");
	if (setresgid(65534, 65534, 65534)) perror("setresgid");
	if (setresuid(65534, 65534, 65534)) perror("setresuid");
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof d);
	d[0].permitted = (1u << CAP_IPC_LOCK) | (1u << CAP_SYS_RAWIO);
	if (syscall(SYS_capset, &h, d)) perror("capset");
	g_unpriv = 1;
}

/* Run fn as root (in a child) then as unprivileged (in another child). */
static __attribute__((unused)) void run_both(const char *name, void (*fn)(void))
{
	for (int u = 0; u <= 1; u++) {
		fflush(stdout);
		pid_t p = fork();
		if (p == 0) {
			if (u) drop_privs();
			printf("===== %s as %s =====\n", name, WHO);
			if (u) print_caps();
			fn();
			fflush(stdout);
			_exit(0);
		}
		int st;
		waitpid(p, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			printf("----- child status: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit",
			       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
}

static __attribute__((unused)) void hex(const char *tag, const void *p, size_t n)
{
	const unsigned char *c = p;
	printf("[%s]   %s:", WHO, tag);
	for (size_t i = 0; i < n; i++)
		printf("%s%02x", (i % 8) ? "" : " ", c[i]);
	printf("\n");
}
