using System.Runtime.InteropServices;

namespace MmSim.Host;

internal static partial class Libc
{
    /// <summary>kill(2): <c>-pgid</c> signals a whole process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int sig);

    /// <summary>swapon(2).</summary>
    [LibraryImport("libc", EntryPoint = "swapon", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Swapon(string path, int flags);

    /// <summary>swapoff(2).</summary>
    [LibraryImport("libc", EntryPoint = "swapoff", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Swapoff(string path);

    /// <summary>geteuid(2).</summary>
    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint Geteuid();
}
