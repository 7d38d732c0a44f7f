# Page tables move as Linux moves them: whole PUD entries (a PMD table, 1 GiB) when source and
# target are PUD-aligned over a full 1 GiB, whole PMD entries (a PTE table, 2 MiB) when
# PMD-aligned over a full 2 MiB, else one PTE at a time. vmstat()'s mremap_* counters are
# MmSim's own (Linux has no such lines), so only the model checks them.
mmap(0x100000000000, 1G, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = $g
touch($g, 1G, WRITE)
smaps($g) = {Rss=1048576, Anonymous=1048576}
# aligned 1 GiB: one PUD entry, not 262,144 PTEs
mremap($g, 1G, 1G, MREMAP_MAYMOVE|MREMAP_FIXED, 0x108000000000) = 0x108000000000
vmstat() = {mremap_pte_moved=0, mremap_pmd_moved=0, mremap_pud_moved=1}
smaps(0x108000000000) = {Rss=1048576}
munmap(0x108000000000, 1G) = 0
# PMD-aligned, not PUD-aligned: 4 MiB is two PTE tables
mmap(0x100000200000, 4M, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $p
touch($p, 4M, WRITE)
mremap($p, 4M, 4M, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100040200000) = 0x100040200000
vmstat() = {mremap_pte_moved=0, mremap_pmd_moved=2, mremap_pud_moved=1}
load(0x100040200000, 1) = "\0"
# not aligned: every PTE on its own
mmap(0x100080001000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $u
touch($u, 16K, WRITE)
mremap($u, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100080203000) = 0x100080203000
vmstat() = {mremap_pte_moved=4, mremap_pmd_moved=2, mremap_pud_moved=1}
# same offset in their 2 MiB, and reaching the next boundary: realigned to move one PTE table
mmap(0x1000c01ff000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $r
touch($r, 8K, WRITE)
mremap($r, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x1000c05ff000) = 0x1000c05ff000
vmstat() = {mremap_pte_moved=5, mremap_pmd_moved=3, mremap_pud_moved=1}
smaps(0x1000c05ff000) = {Rss=8}
validate() = 0
