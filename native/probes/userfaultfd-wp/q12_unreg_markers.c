/* UNREGISTER vs uffd-wp markers (anon WP_UNPOPULATED, shmem) */
#include "common2.h"
static void body(void)
{
	int U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, UFFD_FEATURE_WP_UNPOPULATED);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(volatile char *)BASE = 1;
	uffd_reg(U, BASE, 4 * PG, 2, NULL);
	WP(U, "protect anon 0..3", BASE, 4 * PG, WPM_WP);
	pm("anon page0", BASE); pm("anon page1 marker", BASE + PG);
	struct uffdio_range r = {BASE, 2 * PG};
	printf("[%s]   UNREGISTER anon 0..1 -> %d\n", WHO, ioctl(U, UFFDIO_UNREGISTER, &r));
	pm("anon page0", BASE); pm("anon page1", BASE + PG); pm("anon page2 (still registered)", BASE + 2 * PG);
	close(U); munmap((void *)BASE, 4 * PG);
	int mfd = memfd_create("u", 0); ftruncate(mfd, 4 * PG);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	*(volatile char *)BASE = 1;
	U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, 0);
	uffd_reg(U, BASE, 4 * PG, 2, NULL);
	WP(U, "protect shmem 0..3", BASE, 4 * PG, WPM_WP);
	printf("[%s]   UNREGISTER shmem 0..1 -> %d\n", WHO, ioctl(U, UFFDIO_UNREGISTER, &r));
	pm("shmem page0", BASE); pm("shmem page1", BASE + PG); pm("shmem page2 (still registered)", BASE + 2 * PG);
	close(U); munmap((void *)BASE, 4 * PG);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q12_unreg_markers", body); return 0; }
