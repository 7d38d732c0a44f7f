namespace MmSim.Tests.Scenario;

internal static class RepoPaths
{
    /// <summary>The checkout's root: the directory holding MmSim.slnx, above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MmSim.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no MmSim.slnx above {AppContext.BaseDirectory}");
    }
}
