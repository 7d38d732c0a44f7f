using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MmSim.Bench;

/// <summary>
/// The peak host memory (peak working set, VmHWM) of the process that ran a benchmark. BenchmarkDotNet runs each
/// benchmark in a process of its own, so the benchmark records its peak at cleanup in a file, and
/// <see cref="PeakMemoryColumn"/> reads it back in the host process. The figure includes the .NET runtime and the
/// harness (about 50 MB).
/// </summary>
public static class PeakMemory
{
    private static string Dir => Path.Combine(Path.GetTempPath(), "mmsim-bench-peak");

    internal static string Key(string type, string method, string param) => $"{type}.{method}.{param}";

    /// <summary>Records this process's peak for the benchmark <paramref name="method"/> of class <paramref name="type"/>.</summary>
    public static void Record(string type, string method, string param)
    {
        Directory.CreateDirectory(Dir);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        File.WriteAllText(Path.Combine(Dir, Key(type, method, param)),
            self.PeakWorkingSet64.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    internal static long? Read(string type, string method, string param)
    {
        var file = Path.Combine(Dir, Key(type, method, param));
        return File.Exists(file) && long.TryParse(File.ReadAllText(file), out var bytes) ? bytes : null;
    }
}

/// <summary>The peak host memory of the process that ran the benchmark, as <see cref="PeakMemory"/> recorded it.</summary>
public sealed class PeakMemoryColumn : IColumn
{
    public string Id => nameof(PeakMemoryColumn);
    public string ColumnName => "Peak host memory";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Size;
    public string Legend => "Peak working set of the benchmark's process, runtime and harness included (recorded by the scale benchmarks only)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        string param = string.Join(",", benchmarkCase.Parameters.Items.Select(p => p.Value?.ToString()));
        long? bytes = PeakMemory.Read(benchmarkCase.Descriptor.Type.Name, benchmarkCase.Descriptor.WorkloadMethod.Name, param);
        return bytes is { } b ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{b / 1e6:0} MB") : "-";
    }
}
