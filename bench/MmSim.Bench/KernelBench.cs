using System.Reflection;
using System.Runtime.InteropServices;

namespace MmSim.Bench;

/// <summary>
/// The kernel twins of the benchmarks: native/bench/kernel_bench.c, built by this project into
/// libkernel_bench.so next to the assembly. Every function returns a count, an address or a pid, or -errno.
/// </summary>
internal static partial class KernelBench
{
    private const string Library = "kernel_bench";
    private const string FileName = "libkernel_bench.so";

    static KernelBench() => NativeLibrary.SetDllImportResolver(typeof(KernelBench).Assembly, Resolve);

    /// <summary>Loads libkernel_bench.so from the directory of this assembly, never from the search path.</summary>
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
            return IntPtr.Zero;
        string dir = Path.GetDirectoryName(assembly.Location) is { Length: > 0 } d ? d : AppContext.BaseDirectory;
        string file = Path.Combine(dir, FileName);
        if (!File.Exists(file))
        {
            throw new DllNotFoundException(
                $"{file} is missing: building bench/MmSim.Bench compiles it from native/bench/kernel_bench.c (Linux only).");
        }
        return NativeLibrary.Load(file);
    }

    [LibraryImport(Library, EntryPoint = "kb_mmap_munmap_4k")]
    public static partial long MmapMunmap4K();

    [LibraryImport(Library, EntryPoint = "kb_map")]
    public static partial long Map(ulong length);

    [LibraryImport(Library, EntryPoint = "kb_unmap")]
    public static partial long Unmap(ulong length);

    [LibraryImport(Library, EntryPoint = "kb_write_pages")]
    public static partial long WritePages(ulong length);

    [LibraryImport(Library, EntryPoint = "kb_small_setup")]
    public static partial long SmallSetup();

    [LibraryImport(Library, EntryPoint = "kb_small_teardown")]
    public static partial long SmallTeardown();

    [LibraryImport(Library, EntryPoint = "kb_mprotect_split_merge")]
    public static partial long MprotectSplitMerge();

    [LibraryImport(Library, EntryPoint = "kb_fork")]
    public static partial long Fork();

    [LibraryImport(Library, EntryPoint = "kb_wait")]
    public static partial long Wait(long pid);

    [LibraryImport(Library, EntryPoint = "kb_madv_dontneed")]
    public static partial long MadvDontNeed(ulong length);

    [LibraryImport(Library, EntryPoint = "kb_dontneed_vector")]
    public static partial long DontNeedVector(ulong n, int vector);

    [LibraryImport(Library, EntryPoint = "kb_madvise")]
    public static partial long Madvise(ulong length, int advice);

    [LibraryImport(Library, EntryPoint = "kb_read_pages")]
    public static partial long ReadPages(ulong length);

    [LibraryImport("libc", EntryPoint = "swapon", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SwaponFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "swapoff", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SwapoffFile(string path);

    /// <summary>
    /// Makes and turns on a swap file of <paramref name="bytes"/> in the temp directory, as mkswap and swapon would
    /// (root only); returns its path. <see cref="Swapoff"/> turns it off and deletes it.
    /// </summary>
    public static string Swapon(ulong bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mmsim-bench-swap-{Environment.ProcessId}");
        File.Delete(path);
        MmSim.Host.SwapFile.Write(path, bytes);
        if (SwaponFile(path, 0) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            File.Delete(path);
            throw new InvalidOperationException($"swapon {path}: errno {errno} (the kernel side needs root)");
        }
        return path;
    }

    public static void Swapoff(string path)
    {
        SwapoffFile(path);
        File.Delete(path);
    }

    [LibraryImport(Library, EntryPoint = "kb_map_populated_at")]
    public static partial long MapPopulatedAt(ulong addr, ulong length);

    [LibraryImport(Library, EntryPoint = "kb_unmap_at")]
    public static partial long UnmapAt(ulong addr, ulong length);

    [LibraryImport(Library, EntryPoint = "kb_mremap_move")]
    public static partial long MremapMove(ulong oldAddr, ulong length, ulong newAddr);

    [LibraryImport(Library, EntryPoint = "kb_memlock_unlimited")]
    public static partial long MemlockUnlimited();

    [LibraryImport(Library, EntryPoint = "kb_mlock")]
    public static partial long Mlock(ulong length);

    [LibraryImport(Library, EntryPoint = "kb_mlock_onfault_write")]
    public static partial long MlockOnFaultWrite(ulong length, ulong stride);

    /// <summary>This process's /proc/self/status.</summary>
    public static string Status() => File.ReadAllText("/proc/self/status");

    /// <summary>The /proc/self/smaps entry (its header line and fields) of the VMA that starts at addr, or null.</summary>
    public static string? SmapsEntry(ulong addr)
    {
        string head = addr.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "-";
        var entry = new System.Text.StringBuilder();
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            // A header line ("start-end perms offset dev inode path") has its first space before any colon;
            // a field line ("Rss:    4 kB") has a colon first.
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (space >= 0 && (colon < 0 || space < colon))
            {
                if (inside)
                    break;
                inside = line.StartsWith(head, StringComparison.Ordinal);
            }
            if (inside)
                entry.Append(line).Append('\n');
        }
        return inside ? entry.ToString() : null;
    }

    /// <summary>The number of VMAs of this process inside [lo, hi), from /proc/self/maps.</summary>
    public static int VmaCount(ulong lo, ulong hi)
    {
        int n = 0;
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            ulong start = Convert.ToUInt64(line[..dash], 16);
            ulong end = Convert.ToUInt64(line[(dash + 1)..space], 16);
            if (start < hi && end > lo)
                n++;
        }
        return n;
    }

    [LibraryImport(Library, EntryPoint = "kb_many_vmas")]
    public static partial long ManyVmas(ulong pages);

    [LibraryImport(Library, EntryPoint = "kb_statement_blocks")]
    public static partial long StatementBlocks(ulong blocks);

    [LibraryImport(Library, EntryPoint = "kb_uffd_setup")]
    public static partial long UffdSetup(ulong length, ulong stride, int kind);

    [LibraryImport(Library, EntryPoint = "kb_uffd_run")]
    public static partial long UffdRun();

    [LibraryImport(Library, EntryPoint = "kb_uffd_reset")]
    public static partial long UffdReset();

    [LibraryImport(Library, EntryPoint = "kb_uffd_teardown")]
    public static partial long UffdTeardown();
}
