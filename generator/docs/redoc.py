"""stub"""
def render(view, env, context):
    return {}
