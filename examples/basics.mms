# basics.mms: a first MmSim scenario.
#
# Each line is a call in strace's notation, then "=" and the result Linux gives. Run it with
#
#     mmsim run examples/basics.mms
#
# and mmsim prints every call with its actual result, stopping at the first one that differs.
# Numbers may be hex and take K/M/G suffixes (4K = 4096); flags are the Linux macro names;
# "#" starts a comment. A line without "=" runs without checking anything.

# Map one page of anonymous memory at a fixed address. MAP_FIXED_NOREPLACE fails instead of
# replacing whatever is already there; mmap returns the address.
mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000000000

# Mapping it again fails, so the expected result is an error, written as strace writes it.
mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)

# Let the kernel choose: "= $a" binds the returned address to $a for the lines below.
mmap(NULL, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a

# store() and load() are the CPU writing and reading memory. Fresh anonymous memory reads as zeros.
load($a, 4) = "\0\0\0\0"
store($a, "hello") = 0
load($a, 5) = "hello"

# smaps() reads /proc/PID/smaps for the mapping (VMA) containing an address. Only the fields
# listed are compared; sizes are in kB. The write faulted in one page, so 4 kB are resident.
smaps($a) = {start=$a, end=$a+8K, perms="rw-p", name="", Rss=4, Anonymous=4}

# Make the first page read-only: the VMA splits in two.
mprotect($a, 4K, PROT_READ) = 0
vma_count($a, $a+8K) = 2
smaps($a) = {start=$a, end=$a+4K, perms="r--p"}
smaps($a+4K) = {start=$a+4K, end=$a+8K, perms="rw-p"}

# Writing the read-only page raises SIGSEGV. SEGV_ACCERR: mapped, but not for this access.
store($a, "x") = SIGSEGV {si_code=SEGV_ACCERR, si_addr=$a}
load($a, 5) = "hello"
touch($a+4K, 4K, WRITE) = 0

# Unmap both pieces. Now no VMA contains $a: smaps() finds none, and an access gets SEGV_MAPERR.
munmap($a, 8K) = 0
smaps($a) = NULL
touch($a, 1, READ) = SIGSEGV {si_code=SEGV_MAPERR, si_addr=$a}

# Bad arguments come back as the kernel's errors: munmap() needs a page-aligned address.
munmap($a+1, 4K) = -1 EINVAL (Invalid argument)

# fork() copies the address space and returns the child's pid; "[pid $c]" runs a line in the child.
store(0x100000000000, "parent") = 0
fork() = $c
[pid $c] load(0x100000000000, 6) = "parent"
# Private memory is copy-on-write: the child's store gives it its own copy of the page.
[pid $c] store(0x100000000000, "child!") = 0
load(0x100000000000, 6) = "parent"
[pid $c] exit_group(0) = ?

# maps() prints /proc/PID/maps; "?" runs it and checks nothing.
maps() = ?
