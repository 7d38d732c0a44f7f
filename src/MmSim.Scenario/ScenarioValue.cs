using System.Text;

namespace MmSim.Scenario;

/// <summary>
/// A value a scenario passes or observes: a number, a byte string, a struct with named fields, or NULL.
/// Numbers are 64-bit two's complement, so <c>-1</c>, <c>0xffffffffffffffff</c> and <c>RLIM_INFINITY</c> are one value.
/// </summary>
public abstract class ScenarioValue
{
    /// <summary>Structural equality, the rule expectations are checked with.</summary>
    public abstract bool Matches(ScenarioValue other);
}

public sealed class NumberValue(long value) : ScenarioValue
{
    public long Value { get; } = value;

    public override bool Matches(ScenarioValue other) => other is NumberValue n && n.Value == Value;
}

/// <summary>Bytes, as C strings carry them: scenario text is encoded as UTF-8, <c>\xNN</c> is one byte.</summary>
public sealed class StringValue(byte[] bytes) : ScenarioValue
{
    public byte[] Bytes { get; } = bytes;

    public static StringValue FromText(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>The bytes as a .NET string, one char per byte, so a name keeps its C strlen().</summary>
    public string AsLatin1() => Encoding.Latin1.GetString(Bytes);

    public override bool Matches(ScenarioValue other) => other is StringValue s && s.Bytes.AsSpan().SequenceEqual(Bytes);
}

public sealed class NullValue : ScenarioValue
{
    public static readonly NullValue Instance = new();

    private NullValue()
    {
    }

    public override bool Matches(ScenarioValue other) => other is NullValue;
}

/// <summary>Fields in the order the source printed them (strace's struct, a /proc file).</summary>
public sealed class StructValue(IReadOnlyList<KeyValuePair<string, ScenarioValue>> fields) : ScenarioValue
{
    public IReadOnlyList<KeyValuePair<string, ScenarioValue>> Fields { get; } = fields;

    /// <summary>
    /// An open struct does not know every field an expectation may name: a field it lacks is unknown rather than
    /// absent, and is not checked. A kernel's vmstat() is open, because it has none of MmSim's own counters.
    /// </summary>
    public bool Open { get; init; }

    public ScenarioValue? this[string name]
    {
        get
        {
            foreach (var (key, value) in Fields)
            {
                if (key == name)
                    return value;
            }
            return null;
        }
    }

    /// <summary>
    /// True when every field of this (an expectation) is present in <paramref name="other"/> with a matching
    /// value; fields this does not list are not compared.
    /// </summary>
    public override bool Matches(ScenarioValue other)
    {
        if (other is not StructValue actual)
            return false;
        foreach (var (key, value) in Fields)
        {
            if (actual[key] is not { } got)
            {
                if (actual.Open)
                    continue;
                return false;
            }
            if (!value.Matches(got))
                return false;
        }
        return true;
    }
}

public sealed class ArrayValue(IReadOnlyList<ScenarioValue> items) : ScenarioValue
{
    public IReadOnlyList<ScenarioValue> Items { get; } = items;

    public override bool Matches(ScenarioValue other)
    {
        if (other is not ArrayValue a || a.Items.Count != Items.Count)
            return false;
        for (var i = 0; i < Items.Count; i++)
        {
            if (!Items[i].Matches(a.Items[i]))
                return false;
        }
        return true;
    }
}

/// <summary>A field that binds <see cref="Name"/> to the number the kernel writes there (<see cref="BindExpr"/>).</summary>
public sealed class BindValue(string name) : ScenarioValue
{
    public string Name { get; } = name;

    public override bool Matches(ScenarioValue other) => other is NumberValue;

    /// <summary>
    /// Binds every <see cref="BindValue"/> in <paramref name="expected"/> to the value at the same place in
    /// <paramref name="written"/> (struct fields by name, array items by index).
    /// </summary>
    public static void BindAll(ScenarioValue expected, ScenarioValue written, IDictionary<string, long> variables)
    {
        switch (expected, written)
        {
            case (BindValue b, NumberValue n):
                variables[b.Name] = n.Value;
                break;
            case (InOutValue io, _):
                BindAll(io.Out, written, variables);
                break;
            case (StructValue e, StructValue w):
                foreach (var (key, value) in e.Fields)
                {
                    if (w[key] is { } got)
                        BindAll(value, got, variables);
                }
                break;
            case (ArrayValue e, ArrayValue w):
                for (var i = 0; i < e.Items.Count && i < w.Items.Count; i++)
                    BindAll(e.Items[i], w.Items[i], variables);
                break;
        }
    }
}

/// <summary><c>...</c>: a value the scenario does not check. It matches anything.</summary>
public sealed class AnyValue : ScenarioValue
{
    public static readonly AnyValue Instance = new();

    private AnyValue()
    {
    }

    public override bool Matches(ScenarioValue other) => true;
}

/// <summary>
/// A struct field the kernel reads and writes back, written <c>NAME=IN =&gt; NAME=OUT</c>: <see cref="In"/> is passed,
/// <see cref="Out"/> is the expected value afterwards.
/// </summary>
public sealed class InOutValue(ScenarioValue input, ScenarioValue output) : ScenarioValue
{
    public ScenarioValue In { get; } = input;

    public ScenarioValue Out { get; } = output;

    public override bool Matches(ScenarioValue other) => Out.Matches(other);
}
