/* Item 10: which accesses trap in a MISSING-only registered VMA.
 * Detector: UFFD_FEATURE_SIGBUS (handle_userfault entered => SIGBUS BUS_ADRERR);
 * one case double-checked with a blocking uffd + thread. */
#include "common.h"
#include <setjmp.h>
static sigjmp_buf jb;
static siginfo_t last;
static void h(int s, siginfo_t *si, void *uc) { last = *si; siglongjmp(jb, 1); }
static int trapped(unsigned long a, int write, unsigned char *val)
{
	if (sigsetjmp(jb, 1) == 0) {
		if (write) *(volatile unsigned char *)a = 0x99;
		*val = *(volatile unsigned char *)a;
		return 0;
	}
	return 1;
}
static void T(const char *label, unsigned long a, int write)
{
	unsigned char v = 0;
	int t = trapped(a, write, &v);
	printf("[%s]   %-70s %s -> %s", WHO, label, write ? "WRITE" : "READ ", t ? "TRAPPED (SIGBUS)" : "not trapped");
	if (!t) printf(" value=%#x", v);
	printf("\n");
}
static char src[4096] __attribute__((aligned(4096)));
static void body(void)
{
	struct sigaction sa = {.sa_sigaction = h, .sa_flags = SA_SIGINFO};
	sigaction(SIGBUS, &sa, NULL);
	int U = new_uffd(O_CLOEXEC);
	uffd_api(U, UFFD_FEATURE_SIGBUS);
	unsigned long A = BASE;
	map_at(A, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(volatile char *)(A + 0 * PG) = 1;         /* page0: written before registration */
	(void)*(volatile char *)(A + 1 * PG);       /* page1: read before registration -> zero page */
	uffd_reg(U, A, 16 * PG, 1, NULL);
	printf("[%s] -- private anon, MISSING only\n", WHO);
	T("page0 populated (written before register)", A, 1);
	T("page0 populated", A, 0);
	T("page1 zero-page mapped before register", A + PG, 0);
	T("page1 zero-page mapped before register (COW from zero page)", A + PG, 1);
	T("page2 never touched", A + 2 * PG, 0);
	T("page3 never touched", A + 3 * PG, 1);
	struct uffdio_zeropage z = {.range = {A + 4 * PG, PG}};
	ioctl(U, UFFDIO_ZEROPAGE, &z);
	T("page4 after UFFDIO_ZEROPAGE", A + 4 * PG, 0);
	T("page4 after UFFDIO_ZEROPAGE (COW)", A + 4 * PG, 1);
	memset(src, 0x21, PG);
	struct uffdio_copy c = {.dst = A + 5 * PG, .src = (unsigned long)src, .len = PG};
	ioctl(U, UFFDIO_COPY, &c);
	T("page5 after UFFDIO_COPY", A + 5 * PG, 1);
	int r = madvise((void *)A, PG, MADV_DONTNEED);
	printf("[%s]   madvise(page0, MADV_DONTNEED) = %d\n", WHO, r);
	T("page0 after MADV_DONTNEED", A, 0);
	r = madvise((void *)(A + 5 * PG), PG, MADV_DONTNEED);
	T("page5 (UFFDIO_COPY'd) after MADV_DONTNEED", A + 5 * PG, 1);
	r = madvise((void *)(A + 4 * PG), PG, MADV_DONTNEED);
	T("page4 (zeropage) after MADV_DONTNEED", A + 4 * PG, 0);
	ioctl(U, UFFDIO_COPY, &(struct uffdio_copy){.dst = A + 6 * PG, .src = (unsigned long)src, .len = PG});
	r = madvise((void *)(A + 6 * PG), PG, MADV_FREE);
	printf("[%s]   madvise(page6, MADV_FREE) = %d\n", WHO, r);
	T("page6 (copied) after MADV_FREE (no memory pressure)", A + 6 * PG, 0);
	ioctl(U, UFFDIO_COPY, &(struct uffdio_copy){.dst = A + 7 * PG, .src = (unsigned long)src, .len = PG});
	r = madvise((void *)(A + 7 * PG), PG, MADV_PAGEOUT);
	printf("[%s]   madvise(page7, MADV_PAGEOUT) = %d%s (swap: see /proc/swaps)\n", WHO, r, r ? en(errno) : "");
	print_pagemap("page7 after PAGEOUT", A + 7 * PG);
	T("page7 after MADV_PAGEOUT", A + 7 * PG, 0);
	/* mprotect-split registered VMA keeps flags */
	mprotect((void *)(A + 8 * PG), PG, PROT_READ);
	smaps_range("after mprotect of page8", A + 7 * PG, A + 10 * PG);
	T("page8 (PROT_READ part of registered VMA) never touched", A + 8 * PG, 0);

	printf("[%s] -- memfd MAP_SHARED, MISSING only\n", WHO);
	int mfd = memfd_create("m", 0);
	ftruncate(mfd, 8 * PG);
	pwrite(mfd, "X", 1, 0);           /* page0 in page cache */
	unsigned long M = BASE + 0x1000000UL;
	map_at(M, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	(void)*(volatile char *)(M + 2 * PG); /* page2 fault before registration: allocates zeroed page cache page */
	uffd_reg(U, M, 8 * PG, 1, NULL);
	T("page0 in page cache, not mapped", M, 0);
	T("page1 hole in file", M + PG, 0);
	T("page1 hole in file", M + PG, 1);
	T("page2 mapped before register", M + 2 * PG, 1);
	r = madvise((void *)M, PG, MADV_DONTNEED);
	printf("[%s]   madvise(M page0, MADV_DONTNEED) = %d\n", WHO, r);
	T("page0 after MADV_DONTNEED (still in page cache)", M, 0);
	r = madvise((void *)(M + 2 * PG), PG, MADV_REMOVE);
	printf("[%s]   madvise(M page2, MADV_REMOVE) = %d\n", WHO, r);
	T("page2 after MADV_REMOVE (hole punched)", M + 2 * PG, 0);
	r = fallocate(mfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PG);
	printf("[%s]   fallocate(PUNCH_HOLE page0) = %d\n", WHO, r);
	T("page0 after punch hole", M, 0);

	printf("[%s] -- memfd MAP_PRIVATE, MISSING only\n", WHO);
	int mfd2 = memfd_create("p", 0);
	ftruncate(mfd2, 4 * PG);
	pwrite(mfd2, "Y", 1, 0);
	unsigned long P = BASE + 0x2000000UL;
	map_at(P, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, mfd2);
	uffd_reg(U, P, 4 * PG, 1, NULL);
	T("page0 in page cache", P, 0);
	T("page0 in page cache (COW write after read-mapping)", P, 1);
	T("page1 hole", P + PG, 0);
	T("page2 hole", P + 2 * PG, 1);

	printf("[%s] -- confirm with blocking uffd (no SIGBUS): read never-touched page blocks\n", WHO);
	int U2 = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U2, 0);
	unsigned long B = BASE + 0x3000000UL;
	map_at(B, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(volatile char *)B = 5;
	uffd_reg(U2, B, 2 * PG, 1, NULL);
	*(volatile char *)B = 6;
	printf("[%s]   write to populated page: completed without message; pending read -> ", WHO);
	struct uffd_msg m;
	errno = 0; ssize_t n = read(U2, &m, 32);
	printf("%zd %s\n", n, n < 0 ? en(errno) : "");
	madvise((void *)B, PG, MADV_DONTNEED);
	pid_t c2 = fork();
	if (!c2) { (void)*(volatile char *)B; _exit(0); } /* child: not registered (no EVENT_FORK) */
	waitpid(c2, NULL, 0);
	struct pollfd pf = {U2, POLLIN};
	pthread_t th;
	void *rd(void *a) { (void)*(volatile char *)B; return NULL; }
	pthread_create(&th, NULL, rd, NULL);
	int pr = poll(&pf, 1, 1000);
	n = read(U2, &m, 32);
	printf("[%s]   after MADV_DONTNEED, read in thread: poll=%d revents=%#x, msg read=%zd addr=%#llx flags=%#llx\n", WHO, pr, pf.revents, n, (unsigned long long)m.arg.pagefault.address, (unsigned long long)m.arg.pagefault.flags);
	ioctl(U2, UFFDIO_ZEROPAGE, &(struct uffdio_zeropage){.range = {B, PG}});
	pthread_join(th, NULL);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both("p10_missing_semantics", body); return 0; }
