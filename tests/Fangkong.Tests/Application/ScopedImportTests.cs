using Fangkong.Application.Access;
using Fangkong.Application.Imports;
using Fangkong.Application;
using Fangkong.Files;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage.Audit;
using Fangkong.Storage.People;
using Fangkong.Storage;
using Fangkong.Tests.Control;
using Fangkong.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Tests.Application;

/// <summary>
/// An import by a user of a lower jurisdiction touches only what lies inside it (属地): the investigator
/// of 兴庆区 (640104) cannot move a person of 金凤区 (640106) into their county, attach a key to them by
/// ID number, learn who holds an ID number, record their case, nor rename another county. Each such row
/// is refused with its column and reason, and the file changes nothing.
/// </summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class ScopedImportTests
{
    private static readonly string IdOfC = Ids.Resident("640106", new DateOnly(1990, 5, 1), 11);

    private static Actor Investigator(string jurisdiction) =>
        new("xq-investigator", JurisdictionCode.Parse(jurisdiction), RolePermissions.Of(StaffRole.Investigator).ToHashSet(), Channel.Web, "127.0.0.7");

    private static async Task<TestStore> StoreAsync(StoreProvider provider)
    {
        var store = await ControlWorkflowTests.OutbreakAsync(provider);
        await store.WriteAsync("ids.csv", $"person_id,id_type,id_number,name,birth_date\nC,resident_id,{IdOfC},李明,1990-05-01\n");
        await ControlWorkflowTests.Ok(store, "import", "persons", store.File("ids.csv"));
        return store;
    }

    private static async Task<Fangkong.Files.Imports.ImportResult> ImportAsync(TestStore store, Database db, Actor actor, FileKind kind, string csv)
    {
        await using var app = Support.App.Services(db);
        var path = await store.WriteAsync($"{kind}-{Guid.NewGuid():N}.csv", csv);
        return await app.GetRequiredService<ImportFile>().HandleAsync(actor, new ImportFileCommand(kind, path, Path.GetFileName(path)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task RowsAboutPeopleOutsideTheJurisdiction_AreRefused_AndChangeNothing(StoreProvider provider)
    {
        await using var store = await StoreAsync(provider);
        await using var db = await store.OpenAsync();
        var actor = Investigator("640104");

        // Moving C (金凤区) into 兴庆区.
        var moved = await ImportAsync(store, db, actor, FileKind.Persons, "person_id,community_code\nC,640104\n");
        Assert.True(moved.Refused);
        Assert.Equal(("person_id", "personOutside"), (Assert.Single(moved.Errors).Column, moved.Errors[0].Code));
        Assert.Equal("640106", (await PersonRepository.FindAsync(db, "C"))!.Person.CommunityCode);

        // A new key with C's ID number: refused without naming C.
        var key = await ImportAsync(store, db, actor, FileKind.Persons, $"person_id,id_type,id_number,name,community_code\nX9,resident_id,{IdOfC},李明,640104\n");
        var keyError = Assert.Single(key.Errors);
        Assert.Equal(("id_number", "documentOutside"), (keyError.Column, keyError.Code));
        Assert.DoesNotContain("C", keyError.Reason, StringComparison.Ordinal);
        Assert.Null(await PersonRepository.FindAsync(db, "X9"));

        // A new person living elsewhere, a case of C, a check-in and an exposure of C, another county renamed.
        Assert.Equal("communityOutside", Assert.Single((await ImportAsync(store, db, actor, FileKind.Persons, "person_id,community_code\nN1,640106\n")).Errors).Code);
        Assert.Equal("personOutside", Assert.Single((await ImportAsync(store, db, actor, FileKind.Cases,
            "person_id,classification,onset_date,report_time\nC,confirmed,2021-10-17,2021-10-18T09:00:00+08:00\n")).Errors).Code);
        Assert.Equal("venueOutside", Assert.Single((await ImportAsync(store, db, actor, FileKind.Checkins,
            "person_id,venue_id,check_in,check_out\nB,v2,2021-10-17T12:00:00+08:00,2021-10-17T12:40:00+08:00\n")).Errors).Code);
        Assert.Equal("personOutside", Assert.Single((await ImportAsync(store, db, actor, FileKind.Exposures,
            "person_id,other_person_id,setting,start,end\nB,C,meal,2021-10-17T12:00:00+08:00,2021-10-17T12:40:00+08:00\n")).Errors).Code);
        Assert.Equal("divisionOutside", Assert.Single((await ImportAsync(store, db, actor, FileKind.Jurisdictions, "code,name\n640106,改名区\n")).Errors).Code);
        Assert.Equal("divisionOutside", Assert.Single((await ImportAsync(store, db, actor, FileKind.Jurisdictions, "code,name\n640104,改名区\n")).Errors).Code);
        Assert.Empty(await Fangkong.Storage.Cases.CaseRepository.LoadAllAsync(db));

        // Inside the jurisdiction the same user imports as before; each import is audited with its figures.
        var inside = await ImportAsync(store, db, actor, FileKind.Persons, "person_id,community_code,address\nB,640104,幸福小区1号楼102室\nN2,640104,新华街2号\n");
        Assert.False(inside.Refused);
        Assert.Equal("新华街2号", (await PersonRepository.FindAsync(db, "N2"))!.Person.Address);
        var (imports, _) = await AuditSearch.FindAsync(db, new AuditFilter(Actor: "xq-investigator", Action: "import"), 0, 50);
        Assert.Equal(9, imports.Count);
        Assert.All(imports, e => Assert.Equal("web", e.Channel));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TheRegionAndTheCommandLine_ImportAnywhere(StoreProvider provider)
    {
        await using var store = await StoreAsync(provider);
        await using var db = await store.OpenAsync();
        var region = await ImportAsync(store, db, Investigator("640000"), FileKind.Persons, "person_id,community_code\nC,640104\n");
        Assert.False(region.Refused);
        Assert.Equal("640104", (await PersonRepository.FindAsync(db, "C"))!.Person.CommunityCode);
        await store.WriteAsync("back.csv", "person_id,community_code\nC,640106\n");
        await ControlWorkflowTests.Ok(store, "import", "persons", store.File("back.csv"));
        Assert.Equal("640106", (await PersonRepository.FindAsync(db, "C"))!.Person.CommunityCode);
    }
}
