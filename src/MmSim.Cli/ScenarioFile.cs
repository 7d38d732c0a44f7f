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
    /// (a missing one is reported when it is loaded).
    /// </summary>
    public static IEnumerable<string> Expand(string path) => Directory.Exists(path)
        ? Directory.EnumerateFiles(path, "*.mms", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        : [path];

    /// <summary>The parsed file, or null when it is missing or malformed (<see cref="LoadError"/> says why).</summary>
    public static ScenarioScript? Load(string path)
    {
        try
        {
            return File.Exists(path) ? ScenarioParser.ParseFile(path) : null;
        }
        catch (Exception e) when (e is ScenarioSyntaxException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Why <see cref="Load"/> returned null: a compiler-style line for a malformed file, or what is missing.</summary>
    public static FileResult LoadError(string path)
    {
        if (!File.Exists(path))
            return new FileResult(FileStatus.Missing, $"{path}: {(Directory.Exists(path) ? "is a directory" : "no such file")}");
        try
        {
            ScenarioParser.ParseFile(path);
            return new FileResult(FileStatus.Passed);
        }
        catch (ScenarioSyntaxException e)
        {
            return new FileResult(FileStatus.Malformed, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileResult(FileStatus.Missing, $"{path}: {e.Message}");
        }
    }

    /// <summary>Runs <paramref name="path"/>; <paramref name="afterRun"/> sees the target once the scenario has run or stopped, e.g. to dump /proc.</summary>
    public static FileResult Run(string path, TextWriter echo, bool validate, Func<IScenarioTarget> newTarget,
        Action<IScenarioTarget>? afterRun = null)
    {
        if (Load(path) is not { } script)
            return LoadError(path);

        try
        {
            using var target = newTarget();
            var result = new ScenarioRunner(echo, new ScenarioRunOptions { Validate = validate }).Run(script, target);
            afterRun?.Invoke(target);
            return result.Failure is { } failure
                ? new FileResult(FileStatus.Failed, failure.ToString(), failure)
                : new FileResult(FileStatus.Passed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The target itself failed (the model could not even start): a model bug, reported like one.
            return new FileResult(FileStatus.Failed, $"{path}: model bug: {e.GetType().Name}: {e.Message}");
        }
    }
}
