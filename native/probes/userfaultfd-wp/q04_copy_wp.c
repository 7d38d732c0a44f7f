/* C: UFFDIO_COPY MODE_WP / ZEROPAGE into WP ranges */
#include "common2.h"
static void run(__u64 F, __u64 regmode)
{
	printf("[%s] ===== features=%#llx regmode=%llu =====\n", WHO, (unsigned long long)F, (unsigned long long)regmode);
	int U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, F);
	map_at(BASE, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 8 * PG, regmode, NULL);
	COPY(U, BASE, PG, UFFDIO_COPY_MODE_WP, 0x11, "MODE_WP page0");
	pm("page0", BASE);
	probe_access(U, "p0 read", BASE + 0x10, 0, 0);
	probe_access(U, "p0 write", BASE + 0x10, 1, 0x71);
	pm("page0 after", BASE);
	COPY(U, BASE + PG, 2 * PG, UFFDIO_COPY_MODE_WP | UFFDIO_COPY_MODE_DONTWAKE, 0x12, "MODE_WP|DONTWAKE pages1-2");
	pm("page1", BASE + PG);
	pm("page2", BASE + 2 * PG);
	COPY(U, BASE + 3 * PG, PG, 0, 0x13, "mode 0 page3");
	pm("page3", BASE + 3 * PG);
	probe_access(U, "p3 write", BASE + 3 * PG, 1, 0x73);
	COPY(U, BASE + 3 * PG, PG, UFFDIO_COPY_MODE_WP, 0x13, "MODE_WP over present page3");
	ZERO(U, BASE + 4 * PG, PG, 0, "page4");
	pm("page4", BASE + 4 * PG);
	probe_access(U, "p4 read", BASE + 4 * PG, 0, 0);
	probe_access(U, "p4 write", BASE + 4 * PG, 1, 0x74);
	pm("page4 after", BASE + 4 * PG);
	ZERO(U, BASE + 5 * PG, PG, 2, "mode 2 (WP?) page5");
	/* WRITEPROTECT then ZEROPAGE/COPY over markers */
	WP(U, "protect 5..7", BASE + 5 * PG, 3 * PG, WPM_WP);
	pm("page5", BASE + 5 * PG);
	ZERO(U, BASE + 5 * PG, PG, 0, "over protected-unpopulated page5");
	pm("page5", BASE + 5 * PG);
	probe_access(U, "p5 write", BASE + 5 * PG, 1, 0x75);
	COPY(U, BASE + 6 * PG, PG, 0, 0x16, "mode 0 over protected-unpopulated page6");
	pm("page6", BASE + 6 * PG);
	probe_access(U, "p6 write", BASE + 6 * PG, 1, 0x76);
	COPY(U, BASE + 7 * PG, PG, UFFDIO_COPY_MODE_WP, 0x17, "MODE_WP over protected-unpopulated page7");
	pm("page7", BASE + 7 * PG);
	vmas("end", BASE, BASE + 8 * PG);
	close(U);
	pm("page7 after close", BASE + 7 * PG);
	munmap((void *)BASE, 8 * PG);
}
static void body(void)
{
	run(0, 3);
	run(UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_EXACT_ADDRESS, 3);
	run(UFFD_FEATURE_WP_UNPOPULATED, 3);
	run(UFFD_FEATURE_WP_UNPOPULATED, 2);
	run(0, 2);
	/* MODE_WP on MISSING-only: known EINVAL -22; MODE_WP on a never-registered vma */
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q04_copy_wp", body); return 0; }
