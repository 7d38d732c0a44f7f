using MmSim.Scenario;

namespace MmSim.Cli;

internal enum FileStatus
{
    Passed,
    Failed,
    Malformed,
    Missing,
}

/// <summary>How one file went; <c>Report</c> says why it did not pass (a malformed file's compiler-style line, or the failure).</summary>
internal sealed record FileResult(FileStatus Status, string Report = "", ScenarioFailure? Failure = null)
{
    public ExitCode ExitCode => Status switch
    {
        FileStatus.Passed => ExitCode.Passed,
        FileStatus.Failed => ExitCode.Failed,
        _ => ExitCode.BadInput,
    };
}

/// <summary>Parses and runs one scenario file on a fresh target; what the verbs do per file.</summary>
internal static class ScenarioFile
{
    /// <summary>
    /// A directory stands for its *.mms files, recursively, in a stable order; anything else is a file
    /// (a missing one is reported when it is loaded). Symbolic links to files count; links to directories below
    /// the one named are not followed, so a link loop cannot repeat a file (the named directory may be a link).
    /// </summary>
    public static IEnumerable<string> Expand(string path) => Directory.Exists(path)
        ? ScenariosUnder(path).Order(StringComparer.Ordinal)
        : [path];

    private static readonly EnumerationOptions s_oneLevel = new() { IgnoreInaccessible = true };

    private static IEnumerable<string> ScenariosUnder(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var dir))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*.mms", s_oneLevel))
                yield return file;
            foreach (var sub in Directory.EnumerateDirectories(dir, "*", s_oneLevel))
            {
                if (new DirectoryInfo(sub).LinkTarget is null)
                    pending.Push(sub);
            }
        }
    }

    /// <summary>
    /// The parsed file, or null when it is missing, unreadable or malformed; then <paramref name="error"/> says why,
    /// as a compiler-style line for a malformed file.
    /// </summary>
    public static ScenarioScript? Load(string path, out FileResult error)
    {
        error = new FileResult(FileStatus.Passed);
        if (!File.Exists(path))
        {
            error = new FileResult(FileStatus.Missing, $"{path}: {(Directory.Exists(path) ? "is a directory" : "no such file")}");
            return null;
        }
        try
        {
            return ScenarioParser.ParseFile(path);
        }
        catch (ScenarioSyntaxException e)
        {
            error = new FileResult(FileStatus.Malformed, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = new FileResult(FileStatus.Missing, $"{path}: {e.Message}");
        }
        return null;
    }

    /// <summary>Runs <paramref name="path"/>; <paramref name="afterRun"/> sees the target once the scenario has run or stopped, e.g. to dump /proc.</summary>
    public static FileResult Run(string path, TextWriter echo, bool validate, Func<IScenarioTarget> newTarget,
        Action<IScenarioTarget>? afterRun = null)
    {
        if (Load(path, out var error) is not { } script)
            return error;

        try
        {
            using var target = newTarget();
            var result = new ScenarioRunner(echo, new ScenarioRunOptions { Validate = validate }).Run(script, target);
            afterRun?.Invoke(target);
            return result.Failure is { } failure
                ? new FileResult(FileStatus.Failed, failure.ToString(), failure)
                : new FileResult(FileStatus.Passed);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or HostUnavailable or SwapUnavailable))
        {
            // The target itself failed (the model could not even start): a model bug, reported like one.
            return new FileResult(FileStatus.Failed, $"{path}: model bug: {e.GetType().Name}: {e.Message}");
        }
    }
}
