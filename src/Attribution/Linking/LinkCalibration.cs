using System.Text.Json;

namespace Attribution.Linking;

/// <summary>
/// Turns a rubric's raw score into a confidence that reads as a probability: per link type, a monotone map
/// fitted on real labelled histories (isotonic regression of "was the link right" on the raw score), kept as
/// data in <c>Linking/calibration.json</c> and refit by <c>bench/accuracy/run.sh fit</c>; a rule calibrated apart has its
/// own table under <c>type/rule</c>. Between two fitted
/// points the map is linear; outside them it is flat. A link type without a table keeps its raw score.
/// </summary>
public sealed class LinkCalibration
{
    private readonly IReadOnlyDictionary<string, (double Raw, double Confidence)[]> _tables;

    /// <summary>One bucket of a measured reliability table: links whose confidence was in [Low, High), and how many were right.</summary>
    public sealed record Bucket(double Low, double High, int Links, int Right)
    {
        public double Observed => Links == 0 ? 0 : (double)Right / Links;
    }

    public LinkCalibration(IReadOnlyDictionary<string, (double Raw, double Confidence)[]> tables, IReadOnlyDictionary<string, IReadOnlyList<Bucket>>? reliability = null)
    {
        Reliability = reliability ?? new Dictionary<string, IReadOnlyList<Bucket>>();
        foreach (var (type, points) in tables)
        {
            for (var i = 1; i < points.Length; i++)
            {
                if (points[i].Raw < points[i - 1].Raw || points[i].Confidence < points[i - 1].Confidence)
                {
                    throw new ArgumentException($"Calibration of {type} is not monotone at point {i}.", nameof(tables));
                }
            }
        }

        _tables = tables;
    }

    /// <summary>The reliability tables measured with this calibration on the dev set, per repository and pooled.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Bucket>> Reliability { get; }

    /// <summary>No calibration: every raw score is its own confidence.</summary>
    public static LinkCalibration Identity { get; } = new(new Dictionary<string, (double, double)[]>());

    /// <summary>The table shipped with the product.</summary>
    public static LinkCalibration Default { get; } = Load();

    /// <summary>The link types the table covers.</summary>
    public IEnumerable<string> Types => _tables.Keys;

    /// <summary>The table of one link type (empty when it has none).</summary>
    public IReadOnlyList<(double Raw, double Confidence)> Table(string linkType) => _tables.GetValueOrDefault(linkType) ?? [];

    /// <summary>
    /// The confidence of a raw score: from the table of the link type's <paramref name="rule"/> when the fit gave that rule
    /// its own (key <c>type/rule</c>: a rule whose links are right at another rate than the type's other links at the same
    /// score), else from the type's table; the raw score itself when neither exists.
    /// </summary>
    public double Apply(string linkType, double raw, string? rule = null)
    {
        if ((rule is null || !_tables.TryGetValue(RuleKey(linkType, rule), out var points)) && !_tables.TryGetValue(linkType, out points)
            || points.Length == 0)
        {
            return raw;
        }

        if (raw <= points[0].Raw)
        {
            return points[0].Confidence;
        }

        for (var i = 1; i < points.Length; i++)
        {
            if (raw <= points[i].Raw)
            {
                var (x0, y0) = points[i - 1];
                var (x1, y1) = points[i];
                var confidence = x1 <= x0 ? y1 : y0 + ((y1 - y0) * (raw - x0) / (x1 - x0));
                return Math.Round(confidence, 3);
            }
        }

        return points[^1].Confidence;
    }

    /// <summary>The key of a rule's own table: <c>inferred-by-touch/touch-same-task</c>.</summary>
    public static string RuleKey(string linkType, string rule) => $"{linkType}/{rule}";

    /// <summary>Reads a table written by the fitting script: <c>{"types": {"co-authored": [[raw, confidence], ...]}}</c>.</summary>
    public static LinkCalibration Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var tables = new Dictionary<string, (double, double)[]>(StringComparer.Ordinal);
        foreach (var type in document.RootElement.GetProperty("types").EnumerateObject())
        {
            tables[type.Name] = type.Value.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToArray();
        }

        var reliability = new Dictionary<string, IReadOnlyList<Bucket>>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("reliability", out var measured))
        {
            foreach (var set in measured.EnumerateObject())
            {
                reliability[set.Name] = set.Value.EnumerateArray().Select(b => new Bucket(b[0].GetDouble(), b[1].GetDouble(), b[2].GetInt32(), b[3].GetInt32())).ToList();
            }
        }

        return new LinkCalibration(tables, reliability);
    }

    private static LinkCalibration Load()
    {
        using var stream = typeof(LinkCalibration).Assembly.GetManifestResourceStream("linking/calibration.json")
            ?? throw new InvalidOperationException("linking/calibration.json is not embedded in the assembly.");
        using var text = new StreamReader(stream);
        return Parse(text.ReadToEnd());
    }
}
