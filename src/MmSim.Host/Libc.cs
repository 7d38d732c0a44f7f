using System.Runtime.InteropServices;

namespace MmSim.Host;

internal static partial class Libc
{
    /// <summary>kill(2): <c>-pgid</c> signals a whole process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int sig);
}
