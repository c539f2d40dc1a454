using Dapper;
using Fangkong.Application.Tracing;
using Fangkong.Application;
using Fangkong.Cases;
using Fangkong.Policies;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.Tracing;
using Fangkong.Storage;
using Fangkong.Tests.Support;
using Fangkong.Time;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Tests.Control;

/// <summary>
/// Officers confirm cases at the same moment: each confirmation traces every case and stores the
/// result. Whatever the interleaving, the stored contacts afterwards are those of every case.
/// </summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class ConcurrentRetraceTests
{
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task CasesConfirmedAtOnce_AllHaveTheirContactsStored(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await ControlWorkflowTests.Ok(store, "demo", "--people", "3000", "--no-serve", "--simulate-days", "0");
        await using var db = await store.OpenAsync();
        var policy = PolicyCatalog.Load().Get("cn-v8-2021");
        await using var app = Support.App.Services(db);
        var retrace = app.GetRequiredService<Retrace>();
        var people = new List<int>();
        await using (var c = await db.OpenConnectionAsync())
        {
            // People who are neither cases nor contacts yet, each with a household member who is neither, and no two
            // sharing one: each new case brings a contact of its own.
            var pairs = (await c.QueryAsync<(long Person, long Other)>("""
                WITH free AS (SELECT p.id FROM persons p
                              WHERE NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = p.id) AND NOT EXISTS (SELECT 1 FROM contacts k WHERE k.person_id = p.id))
                SELECT e.person_id, e.other_person_id FROM exposures e
                WHERE e.setting = 'household' AND e.person_id IN (SELECT id FROM free) AND e.other_person_id IN (SELECT id FROM free)
                ORDER BY e.person_id, e.other_person_id
                """)).ToList();
            var household = pairs.Concat(pairs.Select(x => (Person: x.Other, Other: x.Person))).ToLookup(x => (int)x.Person, x => (int)x.Other);
            var taken = new HashSet<int>();
            foreach (var person in household.Select(g => g.Key).Order())
            {
                if (people.Count < 6 && !taken.Contains(person))
                {
                    people.Add(person);
                    taken.Add(person);
                    taken.UnionWith(household[person]);
                }
            }
        }
        Assert.Equal(6, people.Count);
        var now = db.Now;
        var onset = db.Calendar.LocalDate(now).AddDays(-1);
        await Task.WhenAll(people.Select(person => Task.Run(async () =>
        {
            await using (var s = await StoreSession.BeginAsync(db))
            {
                await CaseRepository.UpsertAsync(s, [new StoredCase(person, CaseClassification.Confirmed, onset, null, now, null)]);
                await s.CommitAsync();
            }
            await retrace.HandleAsync(Actor.System("investigator"), policy);
        })));

        var expected = (await TraceRunner.RunAsync(db, policy, db.Now, store: false)).Findings
            .Select(f => (f.Person, f.Tier, f.IndexPerson, f.ViaPerson, f.Start)).Order().ToList();
        var stored = (await ContactRepository.LoadAsync(db)).Select(k => k.Finding)
            .Select(f => (f.Person, f.Tier, f.IndexPerson, f.ViaPerson, f.Start)).Order().ToList();
        Assert.Equal(expected, stored);
        Assert.All(people, p => Assert.Contains(stored, k => k.IndexPerson == p));
    }
}
