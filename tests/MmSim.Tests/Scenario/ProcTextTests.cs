using System.Text.RegularExpressions;
using MmSim.Scenario;

namespace MmSim.Tests.Scenario;

/// <summary>The /proc readers on text as Linux prints it: a copy of a 6.18 kernel's, and this host's own.</summary>
public sealed partial class ProcTextTests
{
    private const string LibcEntry =
        "7f1c2a400000-7f1c2a422000 r--p 00001000 08:01 1837364                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
        + "Size:                136 kB\nKernelPageSize:        4 kB\nRss:                 136 kB\nPss:                   2 kB\n"
        + "Anonymous:             0 kB\nTHPeligible:           0\nProtectionKey:         0\nVmFlags: rd mr mw me sd \n";

    [Fact]
    public void Smaps_entry_header_and_fields()
    {
        var entry = ProcText.ParseSmapsEntry(LibcEntry);
        Assert.True(new StructValue(
        [
            new("start", new NumberValue(0x7f1c2a400000)),
            new("end", new NumberValue(0x7f1c2a422000)),
            new("perms", StringValue.FromText("r--p")),
            new("offset", new NumberValue(0x1000)),
            new("dev", StringValue.FromText("08:01")),
            new("inode", new NumberValue(1837364)),
            new("name", StringValue.FromText("/usr/lib/x86_64-linux-gnu/libc.so.6")),
            new("Size", new NumberValue(136)),
            new("Pss", new NumberValue(2)),
            new("THPeligible", new NumberValue(0)),
            new("ProtectionKey", new NumberValue(0)),
            new("VmFlags", StringValue.FromText("rd mr mw me sd")),
        ]).Matches(entry), Strace.Value(entry));
    }

    [Theory]
    [InlineData("100000000000-100000001000 rw-p 00000000 00:00 0 \n", "")]
    [InlineData("555555559000-55555557a000 rw-p 00000000 00:00 0                          [heap]\n", "[heap]")]
    [InlineData("7f0000000000-7f0000001000 rw-s 00000000 00:01 1025                       /memfd:my buf (deleted)\n", "/memfd:my buf (deleted)")]
    public void Smaps_entry_names(string header, string name)
    {
        var entry = ProcText.ParseSmapsEntry(header + "Size:                  4 kB\n");
        Assert.True(StringValue.FromText(name).Matches(entry["name"]!));
    }

    [Fact]
    public void Status_values_keep_their_type()
    {
        var status = ProcText.ParseStatus("Name:\tcat\nUmask:\t0022\nState:\tR (running)\nPid:\t9931\nGroups:\t \n"
            + "VmRSS:\t    1632 kB\nSigPnd:\t0000000000000000\nCpus_allowed_list:\t0-1\nTHP_enabled:\t1\n");
        Assert.True(new StructValue(
        [
            new("Name", StringValue.FromText("cat")),
            new("Umask", StringValue.FromText("0022")),
            new("State", StringValue.FromText("R (running)")),
            new("Pid", new NumberValue(9931)),
            new("Groups", StringValue.FromText("")),
            new("VmRSS", new NumberValue(1632)),
            new("SigPnd", StringValue.FromText("0000000000000000")),
            new("Cpus_allowed_list", StringValue.FromText("0-1")),
            new("THP_enabled", new NumberValue(1)),
        ]).Matches(status), Strace.Value(status));
    }

    [Fact]
    public void Host_kernel_smaps_and_status_parse()
    {
        if (!File.Exists("/proc/self/smaps"))
            return; // not Linux: nothing to compare with

        var smaps = File.ReadAllText("/proc/self/smaps");
        var starts = MapsHeader().Matches(smaps).Select(m => m.Index).Append(smaps.Length).ToList();
        Assert.NotEmpty(starts);
        for (var i = 0; i + 1 < starts.Count; i++)
        {
            var entry = ProcText.ParseSmapsEntry(smaps[starts[i]..starts[i + 1]]);
            Assert.True(((NumberValue)entry["start"]!).Value < ((NumberValue)entry["end"]!).Value);
            Assert.IsType<NumberValue>(entry["Rss"]);
            Assert.IsType<StringValue>(entry["VmFlags"]);
        }

        var status = ProcText.ParseStatus(File.ReadAllText("/proc/self/status"));
        Assert.IsType<NumberValue>(status["VmRSS"]);
        Assert.IsType<NumberValue>(status["Pid"]);
    }

    [GeneratedRegex("^[0-9a-f]+-[0-9a-f]+ ", RegexOptions.Multiline)]
    private static partial Regex MapsHeader();
}
