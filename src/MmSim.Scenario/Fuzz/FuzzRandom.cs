namespace MmSim.Scenario.Fuzz;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a fixed algorithm, so a seed names the same scenario in every
/// .NET version. <see cref="Random"/> is not used because its algorithm is not part of its contract.
/// </summary>
internal sealed class FuzzRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n); the modulo bias is below 2^-50 for the small n used here.</summary>
    public int Below(int n) => n <= 0 ? throw new ArgumentOutOfRangeException(nameof(n)) : (int)(Next() % (ulong)n);

    /// <summary>Uniform in [lo, hi].</summary>
    public int Between(int lo, int hi) => lo + Below(hi - lo + 1);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Below(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>One of <paramref name="items"/>, each as likely as its weight.</summary>
    public T Weighted<T>(IReadOnlyList<(T Item, int Weight)> items)
    {
        var total = 0;
        foreach (var (_, w) in items)
            total += w;
        var r = Below(total);
        foreach (var (item, w) in items)
        {
            if (r < w)
                return item;
            r -= w;
        }
        throw new InvalidOperationException("unreachable: weights sum to total");
    }
}
