/* A: WRITEPROTECT effect on populated / never-touched / zero-page PTEs, with and without WP_UNPOPULATED */
#include "common2.h"
static void run(__u64 F, __u64 regmode)
{
	printf("[%s] ===== features=%#llx register mode=%llu =====\n", WHO, (unsigned long long)F, (unsigned long long)regmode);
	int U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	if (uffd_api(U, F)) return;
	map_at(BASE, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(volatile char *)BASE = 0x11;                 /* page0 populated */
	(void)*(volatile char *)(BASE + 2 * PG);       /* page2 zero page */
	*(volatile char *)(BASE + 4 * PG) = 0x44;      /* page4 populated */
	int r = uffd_reg(U, BASE, 8 * PG, regmode, NULL);
	printf("[%s]   register -> %d\n", WHO, r);
	vmas("before", BASE, BASE + 8 * PG);
	WP(U, "protect pages 0..7", BASE, 8 * PG, WPM_WP);
	for (int i = 0; i < 8; i++) { char b[32]; snprintf(b, sizeof b, "page%d after protect", i); pm(b, BASE + i * PG); }
	vmas("after protect", BASE, BASE + 8 * PG);
	/* page0: populated */
	probe_access(U, "p0 read", BASE + 0x10, 0, 0);
	probe_access(U, "p0 write", BASE + 0x10, 1, 0xa0);
	pm("page0 after write", BASE);
	/* page1: never touched: write */
	probe_access(U, "p1 write", BASE + PG + 0x10, 1, 0xa1);
	pm("page1 after write", BASE + PG);
	/* page2: zero page: read then write */
	probe_access(U, "p2 read", BASE + 2 * PG, 0, 0);
	probe_access(U, "p2 write", BASE + 2 * PG + 0x10, 1, 0xa2);
	pm("page2 after write", BASE + 2 * PG);
	/* page3: never touched: read then write */
	probe_access(U, "p3 read", BASE + 3 * PG, 0, 0);
	pm("page3 after read", BASE + 3 * PG);
	probe_access(U, "p3 write", BASE + 3 * PG + 0x10, 1, 0xa3);
	pm("page3 after write", BASE + 3 * PG);
	/* page4: unprotect then write */
	WP(U, "unprotect page4", BASE + 4 * PG, PG, 0);
	pm("page4 after unprotect", BASE + 4 * PG);
	probe_access(U, "p4 write", BASE + 4 * PG, 1, 0xa4);
	/* page5: never touched, unprotect (marker removal?) */
	WP(U, "unprotect page5 (never touched)", BASE + 5 * PG, PG, 0);
	pm("page5 after unprotect", BASE + 5 * PG);
	probe_access(U, "p5 write", BASE + 5 * PG, 1, 0xa5);
	/* double protect */
	WP(U, "protect page4 again", BASE + 4 * PG, PG, WPM_WP);
	WP(U, "protect page4 twice", BASE + 4 * PG, PG, WPM_WP);
	pm("page4", BASE + 4 * PG);
	vmas("end", BASE, BASE + 8 * PG);
	/* unregister clears wp bits? */
	struct uffdio_range ur = {BASE + 4 * PG, PG};
	r = ioctl(U, UFFDIO_UNREGISTER, &ur);
	printf("[%s]   UNREGISTER page4 -> %d\n", WHO, r);
	pm("page4 after unregister", BASE + 4 * PG);
	pm("page6 (marker?) before close", BASE + 6 * PG);
	close(U);
	pm("page6 after close", BASE + 6 * PG);
	pm("page7 after close", BASE + 7 * PG);
	access_at("p6 after close", BASE + 6 * PG, 1, 1);
	pm("page6 after write", BASE + 6 * PG);
	munmap((void *)BASE, 8 * PG);
}
static void body(void)
{
	catch_sigs();
	run(0, 2);
	run(UFFD_FEATURE_PAGEFAULT_FLAG_WP, 2);
	run(UFFD_FEATURE_WP_UNPOPULATED, 2);
	run(UFFD_FEATURE_WP_UNPOPULATED, 3);
	run(0, 3);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q02_wp_state", body); return 0; }
