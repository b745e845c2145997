"""The command line's own words in Chinese: help for each command (usage, arguments, options, examples),
rendered from the commands' definitions, and click's usage errors translated.

Plain text, no box drawing: it reads the same in a GBK console, a log file and a printed page.
"""

from __future__ import annotations

import re

PROGRAM = "score"

SUMMARY = ("评分引擎：按 Excel 指标体系为单位评分，并把评分表写回 Excel。\n"
           "(Scoring engine: scores units against an indicator system kept in Excel.)")

# argument name → how help and messages call it
ARGUMENT_LABELS = {"indicators": "指标体系", "data": "基础数据", "more": "更多自评表", "indicator": "指标",
                   "old": "旧指标体系", "new": "新指标体系"}

EXAMPLES = {
    None: [
        ("评分，结果写回基础数据工作簿", "score run 指标体系.xlsx 基础数据.xlsx"),
        ("先检查指标体系和数据", "score check 指标体系.xlsx 基础数据.xlsx"),
        ("查看某个命令的说明", "score run -h"),
    ],
    "run": [
        ("评分，结果写回基础数据工作簿（新增“评分表”“评分汇总”两张表）", "score run 指标体系.xlsx 基础数据.xlsx"),
        ("结果写到另一个工作簿，基础数据不动", "score run 指标体系.xlsx 基础数据.xlsx -o 评分结果.xlsx"),
        ("只看得分，不写文件", "score run 指标体系.xlsx 基础数据.xlsx --dry-run"),
        ("复核一个项目支出绩效自评表（指标、实际完成值和自评分都在表里）", "score run 自评表.xlsx -o 复核.xlsx"),
        ("复核文件夹中的全部自评表，汇总到一个工作簿", "score run 自评表文件夹 -o 汇总.xlsx"),
    ],
    "check": [
        ("只检查指标体系", "score check 指标体系.xlsx"),
        ("连同基础数据一起检查，警告也算不通过", "score check 指标体系.xlsx 基础数据.xlsx --strict"),
    ],
    "explain": [
        ("说明“预算执行率”的得分怎样算出", "score explain 指标体系.xlsx 基础数据.xlsx 预算执行率"),
        ("多个单位时指定单位", "score explain 指标体系.xlsx 各单位数据.xlsx 预算执行率 --unit 财政局"),
    ],
    "template": [
        ("生成一个单位的填报表（名称|数值）", "score template 指标体系.xlsx -o 填报表.xlsx"),
        ("生成 30 个单位的填报表（每行一个单位）", "score template 指标体系.xlsx -o 填报表.xlsx --units 30"),
    ],
    "sets": [("列出内置指标体系", "score sets")],
    "diff": [
        ("今年和明年的指标体系有什么不同", "score diff 指标体系2024.xlsx 指标体系2025.xlsx"),
        ("各单位的得分、等级、排名会怎样变", "score diff 指标体系2024.xlsx 指标体系2025.xlsx 基础数据.xlsx -o 对比.xlsx"),
    ],
    "sensitivity": [
        ("分值在 ±20% 内变动 1000 次，看排名是否稳健", "score sensitivity 指标体系.xlsx 基础数据.xlsx --seed 1"),
        ("±10%，写出排名区间图", "score sensitivity 指标体系.xlsx 基础数据.xlsx --range 10% -o 稳健性.xlsx"),
    ],
    "serve": [
        ("在本机打开评分网页，并用浏览器打开", "score serve --open"),
        ("换一个端口", "score serve --port 9000"),
    ],
    "report": [
        ("为一个单位起草自评报告（Word）", "score report 指标体系.xlsx 基础数据.xlsx -o 自评报告.docx"),
        ("多个单位：每个单位一份，写到文件夹", "score report 指标体系.xlsx 各单位数据.xlsx -o 报告/"),
    ],
    "draft": [
        ("由评分标准起草评分公式，写到 指标体系_起草.xlsx", "score draft 指标体系.xlsx"),
        ("只看起草结果", "score draft 指标体系.xlsx --dry-run"),
    ],
}

HELP_OPTION = ("-h, --help", "显示本说明")
VERSION_OPTION = ("--version", "显示版本号")


def _label(param) -> str:
    return ARGUMENT_LABELS.get(param.name, param.name)


def _metavar(param) -> str:
    import click

    kind = param.type
    if isinstance(kind, click.Choice):
        return "|".join(str(c) for c in kind.choices)
    if isinstance(kind, click.Path):
        return "文件"
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return "数字"
    return "文本"


def _rows(rows: list[tuple[str, str]]) -> list[str]:
    from wcwidth import wcswidth

    width = min(34, max((wcswidth(left) for left, _ in rows), default=0))
    lines = []
    for left, right in rows:
        pad = width - wcswidth(left)
        if pad >= 0:
            lines.append(f"  {left}{' ' * pad}  {right}".rstrip())
        else:
            lines.append(f"  {left}")
            lines.append(f"  {' ' * width}  {right}".rstrip())
    return lines


def _argument_help(command, argument) -> str:
    """An argument's help text (click ≥ 8.2 drops the one typer gives; it is still on the declaration)."""
    if getattr(argument, "help", None):
        return argument.help
    import inspect

    try:
        declared = inspect.signature(command.callback).parameters[argument.name].default
    except (TypeError, ValueError, KeyError):
        return ""
    return getattr(declared, "help", None) or ""


def command_help(group, name: str | None) -> str:
    """The help of `score` (name None) or of one of its commands."""
    if name is None:
        lines = [f"用法：{PROGRAM} 命令 [参数] [选项]", "", SUMMARY, "", "命令："]
        lines += _rows([(n, (c.help or "").split("。")[0] + "。") for n, c in group.commands.items()])
        lines += ["", "选项："] + _rows([HELP_OPTION, VERSION_OPTION])
    else:
        command = group.commands[name]
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]
        usage = " ".join(_label(a) if a.required else f"[{_label(a)}]" for a in arguments)
        lines = [f"用法：{PROGRAM} {name} {usage} [选项]".replace("  ", " "), "", command.help or ""]
        if arguments:
            lines += ["", "参数："]
            lines += _rows([(_label(a), _argument_help(command, a) + ("" if a.required else "（可选）"))
                            for a in arguments])
        rows = []
        for option in options:
            left = ", ".join(option.opts)
            if not option.is_flag:
                left += f" {_metavar(option)}"
            right = option.help or ""
            if option.required:
                right += "（必填）"
            elif not option.is_flag and option.default is not None:
                default = getattr(option.default, "value", option.default)
                right += f"（默认：{default}）"
            rows.append((left, right))
        rows.append(HELP_OPTION)
        lines += ["", "选项："] + _rows(rows)
    examples = EXAMPLES.get(name, [])
    if examples:
        lines += ["", "示例："]
        for what, command_line in examples:
            lines += [f"  {what}：", f"    {command_line}"]
    return "\n".join(lines) + "\n"


_USAGE_LABELS = {  # click's exception classes (typer vendors click), matched by name
    "NoSuchOption": "没有这个选项",
    "MissingParameter": "缺少参数",
    "BadParameter": "参数值无效",
    "BadOptionUsage": "选项用法不对",
    "BadArgumentUsage": "参数用法不对",
}


def usage_message(exc, kinds: list[str]) -> str:
    """A click usage error in Chinese, naming the command, argument or option and what to do."""
    param = getattr(exc, "param", None)
    what = ""
    if param is not None:
        what = ("“" + _label(param) + "”") if param.param_type_name == "argument" else "/".join(param.opts)
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    command = getattr(getattr(exc, "ctx", None), "info_name", None)
    see = f"用 {PROGRAM} {command} -h 查看用法" if command and command != PROGRAM else f"用 {PROGRAM} -h 查看用法"
    if "NoSuchOption" in kinds:
        option = getattr(exc, "option_name", "")
        close = getattr(exc, "possibilities", None) or []
        hint = "（是否指 " + "、".join(sorted(close)) + "？）" if close else ""
        return f"没有选项 {option}{hint}。{see}"
    if "MissingParameter" in kinds:
        return f"缺少{what or '参数'}。{see}"
    if "BadParameter" in kinds:
        detail = str(getattr(exc, "message", text))
        value = re.match(r"'([^']*)'", detail)
        shown = f"“{value.group(1)}”" if value else ""
        choices = getattr(getattr(param, "type", None), "choices", None)
        allowed = f"，可选：{'、'.join(map(str, choices))}" if choices else ""
        if "is not in the range" in detail:
            allowed = f"，超出允许范围 {detail.split('is not in the range')[-1].strip(' .')}"
        elif "is not a valid integer" in detail or "is not a valid float" in detail:
            allowed = "，应为数字"
        return f"{what or '参数'} 的值{shown}无效{allowed}。{see}"
    match = re.match(r"No such command '([^']*)'", text)
    if match:
        ctx = getattr(exc, "ctx", None)
        names = ctx.command.list_commands(ctx) if ctx is not None and hasattr(ctx.command, "list_commands") else []
        return f"没有命令“{match.group(1)}”：可用的命令有 {'、'.join(names)}。{see}" if names else f"没有命令“{match.group(1)}”。{see}"
    match = re.match(r"Got unexpected extra arguments? \((.*)\)", text)
    if match:
        return f"多余的参数：{match.group(1)}（文件名含空格时请加引号）。{see}"
    match = re.match(r"Option '([^']*)' requires an argument", text)
    if match:
        return f"选项 {match.group(1)} 后面需要一个值。{see}"
    label = next((_USAGE_LABELS[k] for k in kinds if k in _USAGE_LABELS), "用法错误")
    return f"{label}（{text}）。{see}"
