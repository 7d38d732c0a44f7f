/* Item 9: UFFD_FEATURE_SIGBUS */
#include "common.h"
#include <setjmp.h>
static sigjmp_buf jb;
static siginfo_t last;
static void h(int s, siginfo_t *si, void *uc) { last = *si; siglongjmp(jb, 1); }

static void access_at(unsigned long a, int write)
{
	memset(&last, 0, sizeof last);
	if (sigsetjmp(jb, 1) == 0) {
		if (write) *(volatile char *)a = 1; else (void)*(volatile char *)a;
		printf("[%s]   %s at %#lx: no signal\n", WHO, write ? "write" : "read", a);
	} else {
		printf("[%s]   %s at %#lx: signal si_signo=%d(%s) si_code=%d si_errno=%d si_addr=%p si_addr_lsb=%d\n", WHO, write ? "write" : "read", a,
		       last.si_signo, sigabbrev_np(last.si_signo), last.si_code, last.si_errno, last.si_addr, last.si_addr_lsb);
	}
}
static void fdinfo(int U)
{
	char p[64], b[512];
	snprintf(p, sizeof p, "/proc/self/fdinfo/%d", U);
	int f = open(p, O_RDONLY); ssize_t n = read(f, b, sizeof b - 1); close(f); b[n > 0 ? n : 0] = 0;
	char *s = strstr(b, "pending:"); for (char *q = s; q && *q; q++) if (*q == '\n' || *q == '\t') *q = ' ';
	printf("[%s]   fdinfo: %s\n", WHO, s);
}
static char src[4096] __attribute__((aligned(4096)));
static void body(void)
{
	struct sigaction sa = {.sa_sigaction = h, .sa_flags = SA_SIGINFO};
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	for (int exact = 0; exact <= 1; exact++) {
		printf("[%s] -- features = SIGBUS%s\n", WHO, exact ? "|EXACT_ADDRESS" : "");
		int U = new_uffd(O_CLOEXEC);
		uffd_api(U, UFFD_FEATURE_SIGBUS | (exact ? UFFD_FEATURE_EXACT_ADDRESS : 0));
		map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		*(char *)(BASE + 3 * PG) = 9; /* pre-populated page */
		uffd_reg(U, BASE, 4 * PG, 1, NULL);
		access_at(BASE + 0x123, 0);
		access_at(BASE + PG + 0x456, 1);
		access_at(BASE + 3 * PG + 0x10, 0);
		access_at(BASE + 3 * PG + 0x10, 1);
		fdinfo(U);
		int pfd[2]; pipe(pfd); write(pfd[1], "abc", 3);
		errno = 0; ssize_t n = read(pfd[0], (void *)(BASE + 2 * PG), 3);
		printf("[%s]   read(pipe -> registered missing page) = %zd errno=%s\n", WHO, n, n < 0 ? en(errno) : "-");
		memset(src, 0x33, PG);
		struct uffdio_copy c = {.dst = BASE, .src = (unsigned long)src, .len = PG};
		int r = ioctl(U, UFFDIO_COPY, &c);
		printf("[%s]   COPY page0 ret=%d copy=%lld\n", WHO, r, (long long)c.copy);
		access_at(BASE + 0x123, 0);
		printf("[%s]   value=%#x\n", WHO, *(unsigned char *)(BASE + 0x123));
		struct uffdio_zeropage z = {.range = {BASE + PG, PG}};
		r = ioctl(U, UFFDIO_ZEROPAGE, &z);
		printf("[%s]   ZEROPAGE page1 ret=%d\n", WHO, r);
		access_at(BASE + PG, 1);
		/* WP + SIGBUS: write to write-protected page */
		close(U);
		munmap((void *)BASE, 4 * PG);
	}
	printf("[%s] -- features = SIGBUS|PAGEFAULT_FLAG_WP, MISSING|WP registration, WP fault\n", WHO);
	int U = new_uffd(O_CLOEXEC);
	uffd_api(U, UFFD_FEATURE_SIGBUS | UFFD_FEATURE_PAGEFAULT_FLAG_WP);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 4 * PG, 3, NULL);
	struct uffdio_copy c = {.dst = BASE, .src = (unsigned long)src, .len = PG, .mode = UFFDIO_COPY_MODE_WP};
	ioctl(U, UFFDIO_COPY, &c);
	access_at(BASE + 0x20, 0);
	access_at(BASE + 0x20, 1);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both("p09_sigbus", body); return 0; }
