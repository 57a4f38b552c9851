#Requires -Version 7.6
# Two pwsh sessions working on one store at the same time: the store lock keeps them apart.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore
    $script:RunRoot = (Get-ContainerEngine).RunRoot
    $script:PerWorker = 20

    $worker = @'
$ErrorActionPreference = 'Continue'
$tag = $env:PSC_TEST_WORKER
$count = [int] $env:PSC_TEST_COUNT
$null = Get-Container -All   # warm up: load everything before the start line
New-Item -ItemType File -Path "$env:PSC_TEST_SYNC/ready-$tag" | Out-Null
while (-not (Test-Path "$env:PSC_TEST_SYNC/go")) { Start-Sleep -Milliseconds 5 }
$Error.Clear()
$ids = [Collections.Generic.List[string]]::new()
$failures = [Collections.Generic.List[string]]::new()
for ($i = 1; $i -le $count; $i++) {
    try {
        $c = New-Container busybox -Label "worker=$tag" -Command sleep, 300 -ErrorAction Stop
        $ids.Add($c.Id)
        $c | Start-Container -ErrorAction Stop
    } catch { $failures.Add("create/start $($i): $_") }
}
$running = @(Get-Container -Label "worker=$tag" | Where-Object Status -EQ 'Running').Count
$mine = @(Get-Container -All -Label "worker=$tag" | ForEach-Object Id)
Get-Container -All -Label "worker=$tag" | Remove-Container -Force -ErrorVariable removeErrors -ErrorAction SilentlyContinue
foreach ($e in $removeErrors) { $failures.Add("remove: $e") }
$left = @(Get-Container -All -Label "worker=$tag").Count
[pscustomobject]@{
    Ids = @($ids); Running = $running; Mine = $mine; Left = $left
    Failures = @($failures); Errors = @($Error | ForEach-Object { "$_" })
} | ConvertTo-Json -Depth 4 -Compress
'@

    $sync = "/tmp/psc-pester-sync-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $sync | Out-Null
    $workers = foreach ($tag in 'a', 'b') {
        Start-ChildPwsh -Script $worker -Environment @{ PSC_TEST_WORKER = $tag; PSC_TEST_COUNT = $script:PerWorker; PSC_TEST_SYNC = $sync }
    }
    try {
        Wait-Condition { (Test-Path "$sync/ready-a") -and (Test-Path "$sync/ready-b") } -TimeoutSeconds 90 -Message 'both workers to be ready'
        New-Item -ItemType File -Path "$sync/go" | Out-Null
        $script:Results = foreach ($w in $workers) {
            if (-not $w.WaitForExit(240000)) { & kill -9 $w.Id; throw "Worker $($w.Id) did not finish in 240 s." }
            $w.WaitForExit()
            $out = Get-Content -Raw $w.StdoutFile
            $err = Get-Content -Raw $w.StderrFile
            [pscustomobject]@{
                ExitCode = $w.ExitCode
                Stderr   = $err
                Result   = if ($out) { ($out.Trim() -split "`n")[-1] | ConvertFrom-Json } else { $null }
            }
        }
    } finally {
        foreach ($w in $workers) {
            if (-not $w.HasExited) { & kill -9 $w.Id }
            Remove-Item $w.StdoutFile, $w.StderrFile -ErrorAction Ignore
        }
        Remove-Item -Recurse -Force $sync -ErrorAction Ignore
    }
    $script:AllIds = @($script:Results | ForEach-Object { if ($_.Result) { $_.Result.Ids } })
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root -ContainerId $script:AllIds }
}

Describe 'Two pwsh sessions creating, starting and removing containers at once' {
    It 'worker <_> exits cleanly with no errors' -ForEach 0, 1 {
        $r = $script:Results[$_]
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stderr | Should -BeNullOrEmpty
        $r.Result | Should -Not -BeNullOrEmpty
        $r.Result.Failures | Should -BeNullOrEmpty
        $r.Result.Errors | Should -BeNullOrEmpty
    }

    It 'worker <_> created, started and saw all its containers' -ForEach 0, 1 {
        $r = $script:Results[$_].Result
        @($r.Ids).Count | Should -Be $script:PerWorker
        $r.Running | Should -Be $script:PerWorker
        @($r.Mine | Sort-Object) | Should -Be @($r.Ids | Sort-Object)
        $r.Left | Should -Be 0
    }

    It 'gave every container its own id' {
        $script:AllIds.Count | Should -Be (2 * $script:PerWorker)
        @($script:AllIds | Sort-Object -Unique).Count | Should -Be (2 * $script:PerWorker)
    }

    It 'leaves no container behind' {
        @(Get-Container -All).Count | Should -Be 0
        Get-ChildItem -LiteralPath (Join-Path $script:Root 'containers') -Force | Should -BeNullOrEmpty
    }

    It 'leaves no mount, monitor, runtime state, exit file or cgroup behind' {
        Get-StoreMount -Under $script:Root | Should -BeNullOrEmpty
        Get-StoreProcess -Mentioning $script:Root -Comm conmon | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath (Join-Path $script:RunRoot 'runtime') -Recurse -File -ErrorAction Ignore | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath (Join-Path $script:RunRoot 'exits') -Force -ErrorAction Ignore | Should -BeNullOrEmpty
        foreach ($id in $script:AllIds) { Get-ContainerCgroup -Id $id | Should -BeNullOrEmpty }
        @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'tmp') -Force).Count | Should -Be 0
    }

    It 'keeps the image usable' {
        Invoke-Container busybox echo still-fine -ErrorAction Stop | Should -Be 'still-fine'
    }
}
