using Microsoft.Playwright;

namespace Fangkong.Tests.Web;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (its driver ships in the NuGet package; no
/// browser download). The test script installs <c>chromium</c> and <c>fonts-noto-cjk</c>; without them
/// these tests fail, they are never skipped. Screenshots go to <c>artifacts/screenshots</c>.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string DefaultExecutable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public static string Screenshots { get; } = Path.Combine(Support.RepositoryPaths.Root, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("FANGKONG_CHROMIUM") ?? DefaultExecutable;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not at {executable}: run the tests with ./test.sh, which installs Debian's chromium and fonts-noto-cjk.");
        }
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }
        _playwright?.Dispose();
    }

}
