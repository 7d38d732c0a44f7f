#!/usr/bin/env bash
# The README's "Scale" table: generates the scenarios and runs each with the Release CLI under /usr/bin/time,
# printing elapsed time and peak RSS. Usage: bench/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
dotnet build -c Release src/MmSim.Cli -v quiet -nologo >/dev/null
mmsim=(dotnet src/MmSim.Cli/bin/Release/net10.0/mmsim.dll run)

echo 'getpid() = 1' > "$dir/floor.mms"
{
    # 65,529 pages (268,406,784 bytes): with [stack], 65,530 VMAs once every other page is read-only.
    echo 'mmap(0x100000000000, 268406784, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a'
    for ((i = 1; i < 65529; i += 2)); do echo "mprotect(\$a+$((i * 4096)), 4K, PROT_READ) = 0"; done
    echo 'vma_count(0, 0x7ffffffff000) = 65530'
} > "$dir/vmas.mms"
{ cat "$dir/vmas.mms"; for ((i = 0; i < 20; i++)); do echo 'fork() = ?'; done; } > "$dir/vmas-forked.mms"
{ for ((i = 0; i < 10000; i++)); do echo 'fork() = ?'; done; } > "$dir/processes.mms"
{
    echo 'mmap(0x100000000000, 3584M, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = $a'
    echo 'touch($a, 3584M, WRITE) = 0'
} > "$dir/ram.mms"

for s in floor vmas vmas-forked processes ram; do
    /usr/bin/time -f "$s: %e s, peak %M KB" "${mmsim[@]}" "$dir/$s.mms" >/dev/null
done
