namespace MmSim.Scenario.Diff;

/// <summary>A small line diff (longest common subsequence), printed as unified-diff hunk lines.</summary>
internal static class LineDiff
{
    /// <summary>Unchanged lines kept around each change, as diff -u keeps them.</summary>
    public const int Context = 3;

    /// <summary>The changed lines with <see cref="Context"/> unchanged lines around them; "..." stands for the rest.</summary>
    public static IEnumerable<string> Hunks(IReadOnlyList<string> left, IReadOnlyList<string> right)
    {
        var all = Unified(left, right).ToList();
        var keep = new bool[all.Count];
        for (int i = 0; i < all.Count; i++)
        {
            if (all[i][0] == ' ')
                continue;
            for (int j = Math.Max(0, i - Context); j <= Math.Min(all.Count - 1, i + Context); j++)
                keep[j] = true;
        }
        bool skipped = false;
        for (int i = 0; i < all.Count; i++)
        {
            if (keep[i])
            {
                if (skipped)
                    yield return " ...";
                skipped = false;
                yield return all[i];
            }
            else
            {
                skipped = true;
            }
        }
        if (skipped)
            yield return " ...";
    }

    /// <summary>The lines of both sides, each prefixed " " (both), "-" (left only) or "+" (right only).</summary>
    public static IEnumerable<string> Unified(IReadOnlyList<string> left, IReadOnlyList<string> right)
    {
        int n = left.Count, m = right.Count;
        var lcs = new int[n + 1, m + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = m - 1; j >= 0; j--)
                lcs[i, j] = left[i] == right[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        }
        int a = 0, b = 0;
        while (a < n || b < m)
        {
            if (a < n && b < m && left[a] == right[b])
            {
                yield return " " + left[a];
                a++;
                b++;
            }
            else if (b >= m || (a < n && lcs[a + 1, b] >= lcs[a, b + 1]))
            {
                yield return "-" + left[a++];
            }
            else
            {
                yield return "+" + right[b++];
            }
        }
    }
}
