#Requires -Version 7.6
# Archives: Export-Image writes docker-archive and oci-archive files that Import-Image loads into a second store,
# where the image runs; errors, -WhatIf and the pipeline behave as for the other image cmdlets.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    foreach ($name in 'PSCONTAINER_MODULE', 'PSCONTAINER_TEST_ROOTFS') {
        $value = [Environment]::GetEnvironmentVariable($name)
        if (-not $value) { throw "$name is not set: run build.ps1 Test (or PesterTest with PSCONTAINER_TEST_ROOTFS pointing at a busybox rootfs tarball)." }
        if (-not (Test-Path -LiteralPath $value -PathType Leaf)) { throw "$name '$value' does not exist." }
    }
    if ((& id -u) -ne '0') { throw 'These tests run real containers and need root.' }
    if (-not (Get-Command tar -ErrorAction Ignore)) { throw 'tar is not installed; the tests list and build archives with it.' }

    # Every store of this file, with its run root and the archives, lives under one directory of our own.
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('psc-archives-tests-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Work | Out-Null
    $script:StoreCount = 0

    # Points the engine at a fresh private store; every cmdlet opens the store the environment names when it starts.
    function Use-NewStore {
        $script:StoreCount++
        $root = Join-Path $script:Work "store-$script:StoreCount"
        $env:PSCONTAINER_ROOT = $root
        $env:PSCONTAINER_RUNROOT = Join-Path $script:Work "run-$script:StoreCount"
        $root
    }

    $script:Source = Use-NewStore
    $script:SourceRunRoot = $env:PSCONTAINER_RUNROOT
    Import-Module $env:PSCONTAINER_MODULE -Force
    if ((Get-ContainerEngine).Root -ne $script:Source) { throw 'The engine does not use the test store.' }
    $script:Busybox = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:latest -Change 'CMD ["sh"]'
}

AfterAll {
    if (Get-Command Get-Container -ErrorAction Ignore) {
        for ($i = 1; $i -le $script:StoreCount; $i++) {
            $env:PSCONTAINER_ROOT = Join-Path $script:Work "store-$i"
            $env:PSCONTAINER_RUNROOT = Join-Path $script:Work "run-$i"
            Get-Container -All -ErrorAction Continue | Remove-Container -Force -ErrorAction Continue
        }
    }
    Remove-Module PSContainer -ErrorAction Ignore
    Remove-Item Env:PSCONTAINER_ROOT, Env:PSCONTAINER_RUNROOT -ErrorAction Ignore
    $mounts = Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($script:Work + '/', [StringComparison]::Ordinal) }
    if ($mounts) { throw "Mounts left under the test stores: $($mounts -join ', ')" }
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'Export-Image and Import-Image' {
    BeforeEach {
        $env:PSCONTAINER_ROOT = $script:Source
        $env:PSCONTAINER_RUNROOT = $script:SourceRunRoot
    }

    It 'round-trips a docker-archive into a second store, where the image runs' {
        $archive = Join-Path $script:Work 'busybox-docker.tar'
        Export-Image busybox:latest -Path $archive -ErrorAction Stop | Should -BeNullOrEmpty
        Test-Path -LiteralPath $archive | Should -BeTrue
        (& tar -tf $archive) | Should -Contain 'manifest.json'

        Use-NewStore | Out-Null
        $image = Import-Image -Path $archive -ErrorAction Stop
        $image | Should -BeOfType ([PSContainer.Engine.Images.ImageInfo])
        $image.Id | Should -Be $script:Busybox.Id
        $image.Name | Should -Be 'busybox:latest'
        $image.Command | Should -Be @('sh')
        Invoke-Container busybox echo ok -ErrorAction Stop | Should -Be 'ok'
    }

    It 'round-trips an oci-archive piped from Get-Image, and the image runs' {
        $archive = Join-Path $script:Work 'busybox-oci.tar'
        $file = Get-Image busybox:latest | Export-Image -Path $archive -Format OciArchive -PassThru -ErrorAction Stop
        $file | Should -BeOfType ([IO.FileInfo])
        $file.FullName | Should -Be $archive
        (& tar -tf $archive) | Should -Not -Contain 'manifest.json'

        Use-NewStore | Out-Null
        $image = $file | Import-Image -ErrorAction Stop
        $image.Id | Should -Be $script:Busybox.Id
        $image.Name | Should -Be 'busybox:latest'
        Invoke-Container busybox echo ok -ErrorAction Stop | Should -Be 'ok'
    }

    It 'puts several images in one archive and names each as it was named' {
        Add-ImageTag busybox:latest tools/box:1 -ErrorAction Stop
        $archive = Join-Path $script:Work 'two-names.tar'
        Export-Image busybox:latest, tools/box:1 -Path $archive -ErrorAction Stop

        Use-NewStore | Out-Null
        $images = @(Import-Image $archive -Tag extra:1 -ErrorAction Stop)
        $images | Should -HaveCount 1
        (Get-Image).Name | Sort-Object | Should -Be @('busybox:latest', 'extra:1', 'tools/box:1')
    }

    It 'reports an unknown image as ImageNotFound and exports the rest' {
        $archive = Join-Path $script:Work 'partial.tar'
        Export-Image busybox:latest, nosuch:1 -Path $archive -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        Test-Path -LiteralPath $archive | Should -BeTrue
    }

    It 'writes nothing with -WhatIf' {
        $archive = Join-Path $script:Work 'whatif.tar'
        Export-Image busybox:latest -Path $archive -WhatIf
        Test-Path -LiteralPath $archive | Should -BeFalse
    }

    It 'refuses an archive that refers to a member it lacks, with InvalidData, and stores nothing' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $script:Work 'bad') -Force
        Set-Content -LiteralPath (Join-Path $dir 'manifest.json') -Value '[{"Config":"config.json","RepoTags":["bad:1"],"Layers":["layer.tar"]}]'
        Set-Content -LiteralPath (Join-Path $dir 'config.json') -Value '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}'
        $archive = Join-Path $script:Work 'bad.tar'
        & tar -C $dir -cf $archive manifest.json config.json

        $root = Use-NewStore
        Import-Image $archive -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveMemberMissing,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        Get-Image | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath (Join-Path $root 'blobs/sha256')) | Should -HaveCount 0
    }
}
