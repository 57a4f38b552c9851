#Requires -Version 7.6
# Archives: Export-Image writes docker-archive and oci-archive files that Import-Image loads into a second store,
# where the image runs; errors, -WhatIf and the pipeline behave as for the other image cmdlets.

BeforeAll {
    if (-not $env:PSCONTAINER_MODULE -or -not (Test-Path -LiteralPath $env:PSCONTAINER_MODULE -PathType Leaf)) {
        throw "PSCONTAINER_MODULE ('$env:PSCONTAINER_MODULE') must point at the staged manifest: run build.ps1 Build and set it to out/PSContainer/PSContainer.psd1."
    }
    if (-not $env:PSCONTAINER_TEST_ROOTFS -or -not (Test-Path -LiteralPath $env:PSCONTAINER_TEST_ROOTFS -PathType Leaf)) {
        throw "PSCONTAINER_TEST_ROOTFS ('$env:PSCONTAINER_TEST_ROOTFS') must point at a busybox rootfs tarball (build.ps1 Test makes out/busybox-rootfs.tar.gz)."
    }
    if ((& id -u).Trim() -ne '0') { throw 'These tests run real containers and need root.' }

    $script:Stores = [System.Collections.Generic.List[string]]::new()
    $script:Files = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) ('psc-pester-archives-' + [guid]::NewGuid().ToString('N')))).FullName

    # Points the engine at a fresh private store; every cmdlet opens the store PSCONTAINER_ROOT names when it starts.
    function Use-NewStore {
        $root = Join-Path $script:Files ('store-' + $script:Stores.Count)
        New-Item -ItemType Directory -Path $root | Out-Null
        $script:Stores.Add($root)
        $env:PSCONTAINER_ROOT = $root
        Remove-Item Env:PSCONTAINER_RUNROOT -ErrorAction Ignore
        $root
    }

    $script:Source = Use-NewStore
    Import-Module $env:PSCONTAINER_MODULE -Force -ErrorAction Stop
    if ((Get-ContainerEngine -ErrorAction Stop).Root -ne $script:Source) { throw 'The engine does not use the test store.' }
    $script:Busybox = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:latest -Change 'CMD ["sh"]' -ErrorAction Stop
}

AfterAll {
    foreach ($root in $script:Stores) {
        $env:PSCONTAINER_ROOT = $root
        $runRoot = (Get-ContainerEngine -ErrorAction SilentlyContinue).RunRoot
        Get-Container -All -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
        if ($runRoot -and $runRoot -ne '/run/pscontainer') { Remove-Item -LiteralPath $runRoot -Recurse -Force -ErrorAction SilentlyContinue }
    }
    Remove-Item -LiteralPath $script:Files -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item Env:PSCONTAINER_ROOT -ErrorAction Ignore
}

Describe 'Export-Image and Import-Image' {
    BeforeEach {
        $env:PSCONTAINER_ROOT = $script:Source
    }

    It 'round-trips a docker-archive into a second store, where the image runs' {
        $archive = Join-Path $script:Files 'busybox-docker.tar'
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
        $archive = Join-Path $script:Files 'busybox-oci.tar'
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
        $archive = Join-Path $script:Files 'two-names.tar'
        Export-Image busybox:latest, tools/box:1 -Path $archive -ErrorAction Stop

        Use-NewStore | Out-Null
        $images = @(Import-Image $archive -Tag extra:1 -ErrorAction Stop)
        $images | Should -HaveCount 1
        (Get-Image).Name | Sort-Object | Should -Be @('busybox:latest', 'extra:1', 'tools/box:1')
    }

    It 'reports an unknown image as ImageNotFound and exports the rest' {
        $archive = Join-Path $script:Files 'partial.tar'
        Export-Image busybox:latest, nosuch:1 -Path $archive -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        Test-Path -LiteralPath $archive | Should -BeTrue
    }

    It 'writes nothing with -WhatIf' {
        $archive = Join-Path $script:Files 'whatif.tar'
        Export-Image busybox:latest -Path $archive -WhatIf
        Test-Path -LiteralPath $archive | Should -BeFalse
    }

    It 'refuses an archive that refers to a member it lacks, with InvalidData, and stores nothing' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $script:Files 'bad') -Force
        Set-Content -LiteralPath (Join-Path $dir 'manifest.json') -Value '[{"Config":"config.json","RepoTags":["bad:1"],"Layers":["layer.tar"]}]'
        Set-Content -LiteralPath (Join-Path $dir 'config.json') -Value '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}'
        $archive = Join-Path $script:Files 'bad.tar'
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
