@echo off
rem A console with score on PATH, in the user's Documents folder.
chcp 936 >nul
if not defined SCORE_HOME set "SCORE_HOME=%USERPROFILE%\score"
if exist "%SCORE_HOME%\venv\Scripts\score.exe" goto run
echo 还没有安装评分程序：请先双击安装包中的“安装.bat”。
pause
exit /b 1

:run
title 评分命令行
set "PATH=%SCORE_HOME%\venv\Scripts;%PATH%"
cd /d "%USERPROFILE%\Documents" 2>nul || cd /d "%USERPROFILE%"
echo 评分命令行：可以直接输入 score 命令，例如
echo   score run 指标体系.xlsx 基础数据.xlsx
echo   score check 指标体系.xlsx 基础数据.xlsx
echo   score serve --open        （打开评分网页）
echo   score -h                  （全部命令的中文说明）
echo 文件名有空格时请加英文引号，也可以把文件直接拖进本窗口。内置指标体系：score sets
echo.
cmd /k
