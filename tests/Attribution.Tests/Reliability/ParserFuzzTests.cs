using System.Text;
using Attribution.Artifacts;
using Attribution.Decisions.Bugs;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Mutated signed attribution metadata (comment markers and commit trailers) and mutated stack traces: the parsers
/// never throw, and no mutation of signed metadata verifies as anything but the original.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int BoundedCases = 3000;
    private const string Repo = "acme/shop";
    private static readonly SigningKey Key = new("fuzz-signing-secret", "fuzz-instance");

    [Fact]
    public void MutatedCommentMarkersAndTrailers_NeverThrowNorVerifyAsAnotherMetadata()
    {
        var original = AttributionSigner.Create(Key, "ws", Repo, 42, "session-1", "agent-1", "claude-code");
        var json = Encoding.UTF8.GetBytes(AttributionJson.Serialize(original));
        var random = new Random(FuzzSettings.Seed);
        var failures = new List<string>();

        for (var i = 0; i < FuzzSettings.Cases(BoundedCases); i++)
        {
            var (kind, mutated) = JsonMutator.Mutate(json, random);
            var text = Encoding.UTF8.GetString(mutated);
            try
            {
                var body = "Looks good.\n" + "<!-- agents-run: " + text + " -->\n";
                var message = "Fix the cart\n\n" + AttributionMarkers.TrailerKey + ": " + Base64Url.Encode(mutated) + "\n";
                var checks = new[]
                {
                    AttributionMarkers.CheckBody(body, Key, Repo, 42),
                    AttributionMarkers.CheckMessage(message, Key, Repo),
                };
                _ = AttributionTrailerVerifier.Verify(message, Repo, Key);
                _ = AttributionJson.TryParse(text, out _);
                foreach (var check in checks.Where(c => c is { IsValid: true }))
                {
                    if (check!.Metadata!.Normalized() != original.Normalized())
                    {
                        failures.Add($"case {i} ({kind}): verified as different metadata: {text}");
                    }
                }
            }
#pragma warning disable CA1031 // the property under test is "never throws": every exception is a finding
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"case {i} ({kind}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        failures.Should().BeEmpty($"seed {FuzzSettings.Seed}");
    }

    [Fact]
    public void MutatedStackTraces_NeverThrowAndStayBounded()
    {
        string[] traces =
        [
            "Traceback (most recent call last):\n  File \"/srv/app/server.py\", line 88, in handle\n    result = service.record(params)\n  File \"/srv/app/service.py\", line 42, in record\n    if user.name is None:\nAttributeError: 'NoneType' object has no attribute 'name'\n",
            "System.NullReferenceException: Object reference not set.\n   at Shop.Orders.OrderService.Total(Order order) in /src/Shop/Orders/OrderService.cs:line 42\n   at Shop.Api.OrdersController.Get(Int32 id) in C:\\build\\Shop\\Api\\OrdersController.cs:line 17\n   at lambda_method12(Closure, Object, Object[])\n",
            "java.lang.IllegalStateException: empty cart\n\tat com.shop.cart.Cart.total(Cart.java:42)\n\tat com.shop.cart.Cart$Line.price(Cart.java:97)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)\n\t... 12 more\n",
            "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.lookup(...)\n\t/home/u/proj/store/lookup.go:42 +0x1d\nmain.main()\n\t/home/u/proj/main.go:12 +0x85\nexit status 2\n",
            "TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/app/src/users/get.js:10:5)\n    at /app/src/router.js:33:12\n    at async handler (file:///app/src/server.mjs:7:3)\n",
        ];
        var random = new Random(FuzzSettings.Seed);
        var failures = new List<string>();

        for (var i = 0; i < FuzzSettings.Cases(BoundedCases); i++)
        {
            var (kind, trace) = TextMutator.Mutate(traces[random.Next(traces.Length)], random);
            try
            {
                var parsed = StackTraceParser.Parse(trace);
                if (parsed.Frames.Count > StackTraceParser.MaxFrames || parsed.Frames.Any(f => f.Line < 0 || string.IsNullOrEmpty(f.File)))
                {
                    failures.Add($"case {i} ({kind}): {parsed.Frames.Count} frames, or a frame without file / with a negative line");
                }
            }
#pragma warning disable CA1031 // the property under test is "never throws": every exception is a finding
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"case {i} ({kind}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        failures.Should().BeEmpty($"seed {FuzzSettings.Seed}");
    }
}
