using System.Reflection;
using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>
/// The Linux macro names a scenario may use (<c>PROT_READ</c>, <c>MAP_FIXED</c>, <c>RLIMIT_STACK</c>, <c>SIGKILL</c>...):
/// every constant of every static class in <c>MmSim.Abi</c>, so a constant the model adds is usable at once,
/// plus the aliases below. Errno names are not here: they appear only in results (<c>= -1 EINVAL</c>).
/// </summary>
public static class Symbols
{
    // Declaration order, which the flag formatter keeps; the dictionary is for lookup.
    private static readonly List<KeyValuePair<string, long>> s_all = Build();
    private static readonly Dictionary<string, long> s_byName = new(s_all, StringComparer.Ordinal);

    public static bool TryGet(string name, out long value) => s_byName.TryGetValue(name, out value);

    /// <summary>The symbols whose name starts with <paramref name="prefix"/>, in declaration order.</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> WithPrefix(string prefix) =>
        s_all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    /// <summary>Errno names (<c>EINVAL</c>) as written in a failure result.</summary>
    public static bool TryGetErrno(string name, out Errno errno) =>
        Enum.TryParse(name, ignoreCase: false, out errno) && Enum.IsDefined(errno) && name.StartsWith('E');

    private static List<KeyValuePair<string, long>> Build()
    {
        var table = new List<KeyValuePair<string, long>>();
        var abi = typeof(Prot).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Prot).Namespace && t.IsAbstract && t.IsSealed);
        foreach (var type in abi)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (field.IsLiteral && field.GetRawConstantValue() is { } raw)
                    Add(table, field.Name, ToLong(raw));
            }
        }

        // glibc spells the same limit both ways; strace prints RLIM64_INFINITY.
        Add(table, "RLIM64_INFINITY", unchecked((long)Rlimit.RLIM_INFINITY));
        // touch(addr, len, READ|WRITE): the model's access kinds.
        foreach (var access in Enum.GetValues<Access>())
            Add(table, access.ToString().ToUpperInvariant(), (long)access);
        return table;
    }

    private static long ToLong(object raw) => raw switch
    {
        ulong u => unchecked((long)u),
        IConvertible c => c.ToInt64(null),
        _ => throw new InvalidOperationException($"unsupported constant type {raw.GetType()}"),
    };

    private static void Add(List<KeyValuePair<string, long>> table, string name, long value)
    {
        if (table.Exists(kv => kv.Key == name))
            throw new InvalidOperationException($"MmSim.Abi defines the symbol {name} twice");
        table.Add(new(name, value));
    }
}
