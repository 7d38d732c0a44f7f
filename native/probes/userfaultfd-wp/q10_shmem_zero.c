/* shmem: ZEROPAGE over a WP marker / poison marker; COPY without MODE_WP over marker */
#include "common2.h"
static void body(void)
{
	catch_sigs();
	int mfd = memfd_create("z", 0); ftruncate(mfd, 4 * PG);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	int U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, 0);
	uffd_reg(U, BASE, 4 * PG, 3, NULL);
	WP(U, "protect 0..1", BASE, 2 * PG, WPM_WP);
	pm("page0 marker", BASE);
	ZERO(U, BASE, PG, 0, "shmem over WP marker page0");
	pm("page0", BASE);
	probe_access(U, "write page0", BASE, 1, 1);
	COPY(U, BASE + PG, PG, 0, 0x55, "shmem mode 0 over WP marker page1");
	pm("page1", BASE + PG);
	probe_access(U, "write page1", BASE + PG, 1, 1);
	POISON(U, BASE + 2 * PG, PG, 0, "page2");
	ZERO(U, BASE + 2 * PG, PG, 0, "shmem over poison page2");
	pm("page2", BASE + 2 * PG);
	close(U); munmap((void *)BASE, 4 * PG); close(mfd);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q10_shmem_zero", body); return 0; }
