/* guard regions (MADV_GUARD_INSTALL) vs uffd WP/POISON/COPY/ZEROPAGE */
#include "common2.h"
static void body(void)
{
	catch_sigs();
	int U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, UFFD_FEATURE_WP_UNPOPULATED);
	map_at(BASE, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	int r = uffd_reg(U, BASE, 8 * PG, 3, NULL);
	printf("[%s]   register -> %d\n", WHO, r);
	errno = 0; r = madvise((void *)BASE, 4 * PG, MADV_GUARD_INSTALL);
	printf("[%s]   MADV_GUARD_INSTALL 0..3 -> %d %s\n", WHO, r, r ? en(errno) : "-");
	pm("page0 guard", BASE);
	vmas("after guard", BASE, BASE + 8 * PG);
	access_at("guard page0", BASE, 0, 0);
	WP(U, "protect guard pages 0..1", BASE, 2 * PG, WPM_WP);
	pm("page0 guard after WP", BASE);
	POISON(U, BASE + PG, PG, 0, "over guard page1");
	COPY(U, BASE + 2 * PG, PG, 0, 1, "over guard page2");
	ZERO(U, BASE + 3 * PG, PG, 0, "over guard page3");
	pm("page2", BASE + 2 * PG);
	pm("page3", BASE + 3 * PG);
	WP(U, "protect 4..5 (markers)", BASE + 4 * PG, 2 * PG, WPM_WP);
	errno = 0; r = madvise((void *)(BASE + 4 * PG), PG, MADV_GUARD_INSTALL);
	printf("[%s]   MADV_GUARD_INSTALL over WP marker page4 -> %d %s\n", WHO, r, r ? en(errno) : "-");
	pm("page4", BASE + 4 * PG);
	POISON(U, BASE + 6 * PG, PG, 0, "page6");
	errno = 0; r = madvise((void *)(BASE + 6 * PG), PG, MADV_GUARD_INSTALL);
	printf("[%s]   MADV_GUARD_INSTALL over poison page6 -> %d %s\n", WHO, r, r ? en(errno) : "-");
	pm("page6", BASE + 6 * PG);
	close(U); munmap((void *)BASE, 8 * PG);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q11_guard", body); return 0; }
