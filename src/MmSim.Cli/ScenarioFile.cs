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

/// <summary>Parses and runs one scenario file on a fresh target; what both verbs do per file.</summary>
internal static class ScenarioFile
{
    /// <summary>Runs <paramref name="path"/>; <paramref name="afterRun"/> sees the target once the scenario has run or stopped, e.g. to dump /proc.</summary>
    public static FileResult Run(string path, TextWriter echo, bool validate, Func<IScenarioTarget> newTarget,
        Action<IScenarioTarget>? afterRun = null)
    {
        if (!File.Exists(path))
            return new FileResult(FileStatus.Missing, $"{path}: {(Directory.Exists(path) ? "is a directory" : "no such file")}");

        ScenarioScript script;
        try
        {
            script = ScenarioParser.ParseFile(path);
        }
        catch (ScenarioSyntaxException e)
        {
            return new FileResult(FileStatus.Malformed, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileResult(FileStatus.Missing, $"{path}: {e.Message}");
        }

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
