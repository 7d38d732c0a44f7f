using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace MmSim.Host;

/// <summary>
/// Builds the process-side runner (native/mmsim-host.c, embedded in this assembly) with the machine's C compiler,
/// once per version of the source: the binary is cached under a name holding the source's hash.
/// </summary>
internal static class RunnerBuild
{
    private const string ResourceName = "MmSim.Host.mmsim-host.c";
    private static readonly Lock s_buildLock = new();
    private static readonly TimeSpan s_compileTimeout = TimeSpan.FromMinutes(2);

    public static string Source { get; } = ReadSource();

    /// <summary>The compiler's full path, or null when there is none.</summary>
    public static string? FindCompiler(string? configured)
    {
        var name = configured ?? Environment.GetEnvironmentVariable("CC");
        if (string.IsNullOrWhiteSpace(name) || name.Contains(' ', StringComparison.Ordinal))
            name = "cc";
        if (name.Contains('/', StringComparison.Ordinal))
            return File.Exists(name) ? name : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>The runner's path, compiling it first if this version of the source has not been built.</summary>
    public static string EnsureBuilt(string compiler, string? cacheDirectory)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Source)))[..16];
        var dir = cacheDirectory ?? DefaultCacheDirectory();
        var binary = Path.Combine(dir, $"mmsim-host-{hash}");
        if (File.Exists(binary))
            return binary;
        lock (s_buildLock)
        {
            if (File.Exists(binary))
                return binary;
            Directory.CreateDirectory(dir);
            // Other processes may build the same binary at once: each compiles to its own name, then renames.
            var partial = $"{binary}.{Environment.ProcessId}.tmp";
            var source = partial + ".c";
            File.WriteAllText(source, Source);
            try
            {
                Compile(compiler, source, partial);
                File.Move(partial, binary, overwrite: true);
            }
            finally
            {
                File.Delete(source);
                File.Delete(partial);
            }
        }
        return binary;
    }

    private static void Compile(string compiler, string source, string output)
    {
        var start = new ProcessStartInfo(compiler)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-O2", "-o", output, source])
            start.ArgumentList.Add(arg);
        using var cc = System.Diagnostics.Process.Start(start) ?? throw new HostUnavailableException($"{compiler} could not be started");
        var stdout = cc.StandardOutput.ReadToEndAsync();
        var stderr = cc.StandardError.ReadToEndAsync();
        if (!cc.WaitForExit(s_compileTimeout))
        {
            cc.Kill(entireProcessTree: true);
            throw new HostUnavailableException($"{compiler} took longer than {s_compileTimeout.TotalMinutes} minutes to build the host runner");
        }
        if (cc.ExitCode != 0)
            throw new HostUnavailableException($"{compiler} could not build the host runner:\n{stdout.Result}{stderr.Result}".TrimEnd());
    }

    private static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetEnvironmentVariable("HOME");
        string? preferred = !string.IsNullOrEmpty(xdg) ? Path.Combine(xdg, "mmsim")
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache", "mmsim")
            : null;
        if (preferred is not null)
        {
            try
            {
                Directory.CreateDirectory(preferred);
                return preferred;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unwritable home: fall back to the temp dir.
            }
        }
        return Path.Combine(Path.GetTempPath(), $"mmsim-cache-{Environment.UserName}");
    }

    private static string ReadSource()
    {
        using var stream = typeof(RunnerBuild).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from {typeof(RunnerBuild).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
